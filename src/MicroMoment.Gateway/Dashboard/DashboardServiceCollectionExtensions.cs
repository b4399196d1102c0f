namespace MicroMoment.Gateway.Dashboard;

/// <summary>Registers the dashboard's services.</summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>Adds the sampler (a hosted service), access checks and the model report.</summary>
    public static IServiceCollection AddMicroMomentDashboard(this IServiceCollection services)
    {
        services.AddSingleton<DashboardSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<DashboardSampler>());
        services.AddSingleton<DashboardAccess>();
        services.AddSingleton<DashboardModelReport>();
        return services;
    }
}
