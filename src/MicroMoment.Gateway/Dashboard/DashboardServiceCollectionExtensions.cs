namespace MicroMoment.Gateway.Dashboard;

/// <summary>Registers the dashboard's services.</summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>Adds the sampler (a hosted service), login sessions, access checks, the model report and the census cache.</summary>
    public static IServiceCollection AddMicroMomentDashboard(this IServiceCollection services)
    {
        services.AddSingleton<DashboardSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<DashboardSampler>());
        services.AddSingleton<DashboardSessions>();
        services.AddSingleton<DashboardAccess>();
        services.AddSingleton<DashboardModelReport>();
        services.AddSingleton<DashboardCensus>();
        return services;
    }
}
