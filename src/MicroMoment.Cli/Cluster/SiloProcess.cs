using MicroMoment.Gateway.Dashboard;
using MicroMoment.Gateway.Telemetry;
using MicroMoment.Scoring;
using MicroMoment.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace MicroMoment.Cli.Cluster;

/// <summary>
/// One silo of a MicroMoment cluster in this process (<c>micromoment silo</c>): the grains, the model executor, the
/// Orleans silo and client-gateway ports, and a small HTTP endpoint for orchestrators: /healthz (the process answers),
/// /readyz (the silo is Active in the cluster's membership and can write its state) and /metrics.
/// </summary>
public static class SiloProcess
{
    /// <summary>Builds and starts the silo from <paramref name="configuration"/>; returns once it is active and its HTTP endpoint listens.</summary>
    /// <param name="configuration">The cluster, storage and silo sections.</param>
    /// <param name="configureLogging">Sets up the process's logging.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ArgumentException">A setting is wrong (the message names it).</exception>
    public static async Task<WebApplication> StartAsync(
        IConfiguration configuration, Action<WebApplicationBuilder>? configureLogging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var cluster = ClusterConfiguration.Cluster(configuration);
        var storage = ClusterConfiguration.Bind<StorageSettings>(configuration, StorageSettings.SectionName);
        storage.Validate(cluster);
        var settings = ClusterConfiguration.Bind<SiloProcessSettings>(configuration, SiloProcessSettings.SectionName);
        var telemetry = ClusterConfiguration.Bind<TelemetrySettings>(configuration, TelemetrySettings.SectionName);
        var model = MicroMomentModel.Load(ModelPath(settings.Model));
        var policy = PolicyPath(settings.Policy);
        var options = new SiloOptions
        {
            DataDirectory = storage.ProviderName == StorageSettings.SqliteProvider ? Path.GetFullPath(storage.DataDirectory) : null,
            PolicyPath = policy,
            Durability = settings.ParseDurability(),
            Backend = settings.Backend,
        };
        options.Validate();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        configureLogging?.Invoke(builder);
        builder.WebHost.UseUrls(settings.Urls);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddMicroMomentSiloMetrics(new TelemetryOptions());
        bool traced = builder.Services.AddMicroMomentProcessTracing(telemetry, "silo");
        builder.UseOrleans(silo =>
        {
            // A grain call from a traced gateway continues its trace here (and calls between grains carry it on).
            if (traced) silo.AddActivityPropagation();
            silo.UseMicroMomentClustering(cluster, configuration);
            bool storageConfigured = silo.AddMicroMomentStorage(storage, cluster);
            silo.AddMicroMomentSilo(model, options, storageConfigured: storageConfigured);
            silo.AddOrleansDashboard(settings.OrleansProfiling);
        });

        var app = builder.Build();
        MapSiloEndpoints(app);
        try
        {
            await EmbeddedSilo.StartHostAsync(app, options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return app;
    }

    /// <summary>The model file: the configured one, or the bundled model.</summary>
    internal static string ModelPath(string? configured) =>
        string.IsNullOrWhiteSpace(configured) ? Commands.QuickstartCommand.BundledModel().FullName : Path.GetFullPath(configured);

    /// <summary>The policy file: the configured one (it must exist), or the bundled default policy.</summary>
    /// <exception cref="ArgumentException">The configured file does not exist.</exception>
    internal static string PolicyPath(string? configured)
    {
        var file = string.IsNullOrWhiteSpace(configured) ? Commands.QuickstartCommand.DefaultPolicy() : new FileInfo(configured);
        if (!file.Exists) throw new ArgumentException($"Silo:Policy {file.FullName} does not exist; expected a YAML or JSON trigger policy (see policies/default.yaml).");
        return file.FullName;
    }

    /// <summary>/healthz, /readyz and /metrics of a silo process.</summary>
    internal static void MapSiloEndpoints(WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("{\"status\":\"ok\"}", "application/json"));
        app.MapGet("/readyz", (HttpContext http, IServiceProvider services, IHostApplicationLifetime lifetime) =>
        {
            string? reason = NotReadyReason(services, lifetime);
            if (reason is null) return Results.Text("{\"status\":\"ready\"}", "application/json");
            http.Response.Headers.RetryAfter = "1";
            return Results.Problem(statusCode: 503, title: "Not ready", detail: reason);
        });
        MapSiloMetrics(app);
    }

    /// <summary>
    /// GET /metrics of a silo process: the silo's, Orleans' and ASP.NET Core's meters through OpenTelemetry's Prometheus
    /// exporter (the names in docs/metrics.md). Unauthenticated: the silo's HTTP port is for orchestrators and scrapers
    /// inside the cluster's network.
    /// </summary>
    internal static void MapSiloMetrics(WebApplication app) => app.MapPrometheusScrapingEndpoint("/metrics");

    /// <summary>Why the silo does not take work now (not Active in membership, stopping, failing writes), or null when it does.</summary>
    internal static string? NotReadyReason(IServiceProvider services, IHostApplicationLifetime lifetime)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested) return "The silo is shutting down; its grains move to the other silos.";
        var local = services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var status = services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.GetSiloStatus(local);
        if (status != SiloStatus.Active) return $"The silo {local} is {status} in the cluster's membership, not Active yet.";
        var statistics = services.GetRequiredService<GrainSilo>().GetStatistics();
        return statistics.Ready ? null : statistics.NotReadyReason ?? "The silo does not accept events yet.";
    }
}
