using System.Globalization;

namespace MicroMoment.Gateway.Telemetry;

/// <summary>
/// How the gateway (and the silo it hosts) traces events. Spans go to an OTLP collector whose address the OpenTelemetry
/// SDK reads from <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> / <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> (default
/// http://localhost:4317). Tracing is off unless a ratio is set or one of those variables names a collector.
/// </summary>
public sealed record TracingOptions
{
    /// <summary>The sampled share of new traces when a collector is named but no ratio is: 1%.</summary>
    public const double DefaultRatioWithCollector = 0.01;

    /// <summary>
    /// The share of events traced, 0 to 1 (parent-based: a request that arrives sampled, or not, by its
    /// <c>traceparent</c> header stays so). 0: tracing off. Null (default): <see cref="DefaultRatioWithCollector"/>
    /// when an OTLP endpoint variable is set, else off.
    /// </summary>
    public double? TraceSampleRatio { get; init; }

    /// <summary>Whether sampled spans are exported over OTLP (default true; tests read them from memory instead).</summary>
    public bool ExportOtlp { get; init; } = true;

    /// <summary>The ratio in force: <see cref="TraceSampleRatio"/>, or the default for the environment <paramref name="environment"/> reads.</summary>
    public double EffectiveRatio(Func<string, string?>? environment = null)
    {
        if (TraceSampleRatio is { } ratio) return ratio;
        environment ??= Environment.GetEnvironmentVariable;
        bool collector = !string.IsNullOrWhiteSpace(environment("OTEL_EXPORTER_OTLP_ENDPOINT")) || !string.IsNullOrWhiteSpace(environment("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
        return collector ? DefaultRatioWithCollector : 0;
    }

    /// <summary>Throws <see cref="ArgumentException"/> when the ratio is not a number from 0 to 1.</summary>
    public void Validate()
    {
        if (TraceSampleRatio is { } ratio && !(ratio is >= 0 and <= 1))
            throw new ArgumentException(
                $"The trace sample ratio is {ratio.ToString(CultureInfo.InvariantCulture)}; expected a number from 0 (tracing off) to 1 (every event), e.g. 0.01 for 1%.",
                nameof(TraceSampleRatio));
    }
}
