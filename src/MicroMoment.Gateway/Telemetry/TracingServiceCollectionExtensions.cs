using MicroMoment.Silo;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MicroMoment.Gateway.Telemetry;

/// <summary>Registers MicroMoment's tracing: the OpenTelemetry SDK with ASP.NET Core's request spans, MicroMoment's and Orleans' grain spans.</summary>
public static class TracingServiceCollectionExtensions
{
    /// <summary>The service name spans carry (the <c>service.name</c> resource attribute, overridable by <c>OTEL_SERVICE_NAME</c>).</summary>
    public const string ServiceName = "micromoment";

    /// <summary>
    /// The <see cref="System.Diagnostics.ActivitySource"/> names of Orleans' grain call spans: only calls to
    /// application grains (MicroMoment's), not Orleans' own system calls. Orleans creates them, and carries the trace
    /// across silos, when the silo (and any Orleans client) is built with <c>AddActivityPropagation()</c>.
    /// </summary>
    public const string OrleansApplicationSource = "Microsoft.Orleans.Application";

    /// <summary>
    /// Adds tracing when <paramref name="options"/> turn it on (see <see cref="TracingOptions.EffectiveRatio"/>):
    /// parent-based sampling of new traces at the ratio, spans of ASP.NET Core requests, of
    /// <see cref="MicroMomentActivities.SourceName"/> and of Orleans' application grain calls, exported over OTLP.
    /// Returns whether tracing is on (then the silo must be built with <c>AddActivityPropagation()</c> for the trace to
    /// follow grain calls). When off nothing is registered: no listener, no span objects, no cost.
    /// </summary>
    /// <param name="services">The gateway's services.</param>
    /// <param name="options">The ratio and whether to export over OTLP.</param>
    /// <param name="configure">Further set-up of the tracer (another exporter, more sources), or null.</param>
    /// <exception cref="ArgumentException">The ratio is not from 0 to 1.</exception>
    public static bool AddMicroMomentTracing(this IServiceCollection services, TracingOptions options, Action<TracerProviderBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        double ratio = options.EffectiveRatio();
        if (ratio <= 0) return false;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing =>
            {
                tracing.SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)))
                    .AddSource(MicroMomentActivities.SourceName, OrleansApplicationSource)
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsScrape(context.Request.Path));
                if (options.ExportOtlp) tracing.AddOtlpExporter();
                configure?.Invoke(tracing);
            });
        return true;
    }

    /// <summary>Health and metrics scrapes are not traced: they say nothing about an event's path.</summary>
    private static bool IsScrape(PathString path) =>
        path.StartsWithSegments("/metrics") || path.StartsWithSegments("/healthz") || path.StartsWithSegments("/readyz");
}
