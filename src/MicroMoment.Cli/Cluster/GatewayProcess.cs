using MicroMoment.Gateway;
using MicroMoment.Gateway.Dashboard;
using MicroMoment.Scoring;
using MicroMoment.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;

namespace MicroMoment.Cli.Cluster;

/// <summary>
/// The stateless HTTP/WebSocket gateway of a MicroMoment cluster (<c>micromoment gateway</c>): the gateway, demo shop,
/// tracker and dashboards of <c>serve</c>, in front of the cluster's grains through an Orleans client. Any number can run;
/// each keeps nothing a client needs from it (events are acknowledged once a grain applied them).
/// </summary>
public static class GatewayProcess
{
    /// <summary>Builds and starts the gateway from <paramref name="configuration"/>; returns once it listens and its Orleans client connected.</summary>
    /// <param name="configuration">The cluster section, the "Gateway" section (keys, Urls, limits) and Silo:Model / Silo:Policy.</param>
    /// <param name="configure">Last changes to the gateway's options (keys from the command line or environment).</param>
    /// <param name="configureLogging">Sets up the process's logging.</param>
    /// <param name="cancellationToken">Cancels the start (also while no silo answers yet).</param>
    /// <exception cref="ArgumentException">A setting is wrong (the message names it).</exception>
    public static Task<GatewayHost> StartAsync(
        IConfiguration configuration, Action<GatewayOptions>? configure, Action<WebApplicationBuilder>? configureLogging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var cluster = ClusterConfiguration.Cluster(configuration);
        var settings = ClusterConfiguration.Bind<SiloProcessSettings>(configuration, SiloProcessSettings.SectionName);
        var telemetry = ClusterConfiguration.Bind<TelemetrySettings>(configuration, TelemetrySettings.SectionName);
        telemetry.Tracing(); // a wrong ratio stops the start here, before the model loads
        var model = MicroMomentModel.Load(SiloProcess.ModelPath(settings.Model));
        var front = new SiloOptions { PolicyPath = SiloProcess.PolicyPath(settings.Policy) };
        front.Validate();
        return GatewayHost.StartAsync(null, o =>
        {
            try
            {
                configuration.GetSection(GatewayOptions.SectionName).Bind(o);
            }
            catch (InvalidOperationException ex)
            {
                throw new ArgumentException($"The Gateway configuration has a value of the wrong type: {ex.InnerException?.Message ?? ex.Message}", ex);
            }

            configure?.Invoke(o);
        }, builder =>
        {
            configureLogging?.Invoke(builder);
            bool traced = builder.Services.AddMicroMomentProcessTracing(telemetry, "gateway");
            builder.UseOrleansClient(client =>
            {
                client.UseMicroMomentClustering(cluster);
                // The trace of a request goes with its grain calls to the silos.
                if (traced) client.AddActivityPropagation();
                client.AddDashboard();
            });
            builder.Services.AddSingleton(sp => ClusterClientFront.Create(sp.GetRequiredService<IClusterClient>(), model, front, sp.GetService<Microsoft.Extensions.Logging.ILoggerFactory>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
            builder.Services.AddOrleansClusterStatistics();
        }, cancellationToken, app => app.MapOrleansDashboardBehindLogin());
    }
}
