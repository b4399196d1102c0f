using System.Diagnostics.Metrics;
using MicroMoment.Gateway.Auth;
using MicroMoment.Gateway.Metrics;
using MicroMoment.Silo.Monitoring;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace MicroMoment.Gateway.Telemetry;

/// <summary>
/// The metrics pipeline: OpenTelemetry collects the project's meters (gateway, grains, triggers, executor, storage),
/// Orleans' (<c>Microsoft.Orleans</c>) and ASP.NET Core's (hosting, Kestrel, routing, rate limiting, authentication),
/// serves them at /metrics in Prometheus format and pushes them over OTLP when an endpoint is configured.
/// </summary>
public static class MetricsServiceCollectionExtensions
{
    /// <summary>The service name on exported metrics.</summary>
    public const string ServiceName = "micromoment";

    /// <summary>Orleans' meter.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>ASP.NET Core's meters.</summary>
    public static IReadOnlyList<string> AspNetCoreMeters { get; } =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections", "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics", "Microsoft.AspNetCore.RateLimiting", "Microsoft.AspNetCore.Authentication", "Microsoft.AspNetCore.Authorization",
    ];

    /// <summary>Adds the gateway's instruments and the OpenTelemetry metrics pipeline (options from <see cref="GatewayOptions.Telemetry"/>).</summary>
    public static IServiceCollection AddMicroMomentMetrics(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.AddSingleton(sp => new GatewayMetrics(sp.GetRequiredService<IMeterFactory>()));
        services.AddSingleton(sp => new MeterScopes(sp.GetRequiredService<IMeterFactory>()));
        services.AddSingleton(sp => new InstrumentReader(sp.GetRequiredService<MeterScopes>()));
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(GatewayMetrics.MeterName).AddMeter([.. SiloMeters.All]).AddMeter(OrleansMeter).AddMeter([.. AspNetCoreMeters]);
                metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0); // every scrape reads the instruments now
            });
        services.ConfigureOpenTelemetryMeterProvider((sp, metrics) =>
        {
            var scopes = sp.GetRequiredService<MeterScopes>();
            metrics.AddView(instrument => scopes.Reports(instrument) ? null : MetricStreamConfiguration.Drop);
            var telemetry = sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Telemetry;
            var fromEnvironment = sp.GetService<IConfiguration>()?[TelemetryOptions.OtlpEndpointVariable] ?? Environment.GetEnvironmentVariable(TelemetryOptions.OtlpEndpointVariable);
            if (telemetry.OtlpEndpoint is { } endpoint)
            {
                metrics.AddOtlpExporter((exporter, reader) =>
                {
                    exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
                    exporter.Endpoint = new Uri(endpoint, endpoint.AbsolutePath.EndsWith('/') ? "v1/metrics" : endpoint.AbsolutePath + "/v1/metrics");
                    reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)telemetry.OtlpExportInterval.TotalMilliseconds;
                });
            }
            else if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                metrics.AddOtlpExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)telemetry.OtlpExportInterval.TotalMilliseconds);
            }
        });
        return services;
    }

    /// <summary>Maps GET /metrics (Prometheus text, server key, not rate limited).</summary>
    public static IEndpointRouteBuilder MapMicroMomentMetrics(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(GatewayPolicies.Server).DisableRateLimiting();
        return app;
    }
}
