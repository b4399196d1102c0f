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
            var telemetry = sp.GetRequiredService<IOptions<GatewayOptions>>().Value.Telemetry;
            bool orleans = telemetry.OrleansMetrics;
            metrics.AddView(instrument => !scopes.Reports(instrument) || (!orleans && instrument.Meter.Name == OrleansMeter) ? MetricStreamConfiguration.Drop : null);
            if (OtlpExporter(telemetry, sp.GetService<IConfiguration>()) is { } exporter)
                metrics.AddReader(new PeriodicExportingMetricReader(exporter, (int)telemetry.OtlpExportInterval.TotalMilliseconds));
        });
        return services;
    }

    /// <summary>
    /// The metrics pipeline of a silo process (no gateway in it): the silo's meters, Orleans' and ASP.NET Core's, served
    /// by the Prometheus exporter (map it with <c>MapPrometheusScrapingEndpoint</c>) and pushed over OTLP when configured.
    /// </summary>
    public static IServiceCollection AddMicroMomentSiloMetrics(this IServiceCollection services, TelemetryOptions telemetry)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(telemetry);
        telemetry.Validate();
        services.AddMetrics();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter([.. SiloMeters.All]).AddMeter([.. AspNetCoreMeters]);
                if (telemetry.OrleansMetrics) metrics.AddMeter(OrleansMeter);
                metrics.AddPrometheusExporter(prometheus => prometheus.ScrapeResponseCacheDurationMilliseconds = 0);
            });
        services.ConfigureOpenTelemetryMeterProvider((sp, metrics) =>
        {
            if (OtlpExporter(telemetry, sp.GetService<IConfiguration>()) is { } exporter)
                metrics.AddReader(new PeriodicExportingMetricReader(exporter, (int)telemetry.OtlpExportInterval.TotalMilliseconds));
        });
        return services;
    }

    /// <summary>
    /// The OTLP exporter for <see cref="TelemetryOptions.OtlpEndpoint"/> (OTLP/HTTP protobuf), else for
    /// OTEL_EXPORTER_OTLP_ENDPOINT with OTEL_EXPORTER_OTLP_PROTOCOL (grpc unless http/protobuf) from configuration or the
    /// environment; null when neither is set. OTLP/HTTP sends to the endpoint's /v1/metrics, as the specification asks.
    /// </summary>
    /// <exception cref="ArgumentException">The environment's endpoint or protocol is not usable (the message names the variable).</exception>
    internal static OtlpMetricExporter? OtlpExporter(TelemetryOptions telemetry, IConfiguration? configuration)
    {
        string? Setting(string name) => configuration?[name] ?? Environment.GetEnvironmentVariable(name);
        var endpoint = telemetry.OtlpEndpoint;
        var protocol = OtlpExportProtocol.HttpProtobuf;
        if (endpoint is null)
        {
            var text = Setting(TelemetryOptions.OtlpEndpointVariable);
            if (string.IsNullOrWhiteSpace(text)) return null;
            if (!Uri.TryCreate(text, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https"))
                throw new ArgumentException($"{TelemetryOptions.OtlpEndpointVariable} must be an absolute http:// or https:// address such as http://127.0.0.1:4317; got '{text}'.");
            protocol = Setting("OTEL_EXPORTER_OTLP_PROTOCOL") switch
            {
                null or "" or "grpc" => OtlpExportProtocol.Grpc,
                "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
                var other => throw new ArgumentException($"OTEL_EXPORTER_OTLP_PROTOCOL must be grpc or http/protobuf; got '{other}'."),
            };
        }

        if (protocol == OtlpExportProtocol.HttpProtobuf)
            endpoint = new Uri(endpoint, endpoint.AbsolutePath.EndsWith('/') ? "v1/metrics" : endpoint.AbsolutePath + "/v1/metrics");
        return new OtlpMetricExporter(new OtlpExporterOptions { Endpoint = endpoint, Protocol = protocol });
    }

    /// <summary>Maps GET /metrics (Prometheus text, server key, not rate limited).</summary>
    public static IEndpointRouteBuilder MapMicroMomentMetrics(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(GatewayPolicies.Server).DisableRateLimiting();
        return app;
    }
}
