using MicroMoment.Silo;
using Orleans;
using Orleans.Runtime;

namespace MicroMoment.Gateway.Dashboard;

/// <summary>Registers the dashboard's services.</summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>Adds the sampler (a hosted service), login sessions, access checks, the model report and the census cache.</summary>
    public static IServiceCollection AddMicroMomentDashboard(this IServiceCollection services)
    {
        services.AddSingleton(sp => new DashboardSampler(
            sp.GetRequiredService<IMicroMomentSilo>(), sp.GetRequiredService<Metrics.GatewayMetrics>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<GatewayOptions>>(), sp.GetRequiredService<DashboardFeatures>(), sp.GetService<IClusterStatistics>(),
            sp.GetRequiredService<Telemetry.InstrumentReader>()));
        services.AddHostedService(sp => sp.GetRequiredService<DashboardSampler>());
        services.AddSingleton<DashboardSessions>();
        services.AddSingleton<DashboardAccess>();
        services.AddSingleton<DashboardModelReport>();
        services.AddSingleton<DashboardCensus>();
        services.AddSingleton<DashboardFeatures>();
        return services;
    }

    /// <summary>
    /// Lets the dashboard read Orleans' statistics of the cluster of <paramref name="silo"/>, a silo in this process
    /// (through its own grain factory; its rows carry the gateway's per-silo numbers).
    /// </summary>
    public static IServiceCollection AddOrleansClusterStatistics(this IServiceCollection services, EmbeddedSilo silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        return services.AddSingleton<IClusterStatistics>(new OrleansClusterStatistics(silo.GrainFactory, silo.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress));
    }

    /// <summary>
    /// Lets the dashboard read Orleans' statistics through the <see cref="IGrainFactory"/> registered in the gateway's own
    /// services: a gateway that is only an Orleans client of the cluster (no silo in this process).
    /// </summary>
    public static IServiceCollection AddOrleansClusterStatistics(this IServiceCollection services) =>
        services.AddSingleton<IClusterStatistics>(sp => new OrleansClusterStatistics(sp.GetRequiredService<IGrainFactory>()));
}
