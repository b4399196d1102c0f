using System.Globalization;
using MicroMoment.Gateway.Telemetry;

namespace MicroMoment.Cli.Cluster;

/// <summary>
/// The "Telemetry" configuration section of <c>micromoment silo</c> and <c>micromoment gateway</c>: tracing. Where spans
/// (and pushed metrics) go is OpenTelemetry's standard <c>OTEL_EXPORTER_OTLP_*</c> variables, as for <c>serve</c>.
/// </summary>
public sealed class TelemetrySettings
{
    /// <summary>The section's name.</summary>
    public const string SectionName = "Telemetry";

    /// <summary>
    /// The share of new traces sampled, 0 to 1 (<c>serve --trace-sample-ratio</c>): 0 turns tracing off; unset, 1% when an
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> names a collector, else off.
    /// A trace that arrives sampled (a <c>traceparent</c> header, a grain call from a traced gateway) stays sampled.
    /// </summary>
    public double? TraceSampleRatio { get; set; }

    /// <summary>The tracing options these settings describe.</summary>
    /// <exception cref="ArgumentException">The ratio is not from 0 to 1 (the message names Telemetry:TraceSampleRatio).</exception>
    public TracingOptions Tracing()
    {
        if (TraceSampleRatio is { } ratio && !(ratio is >= 0 and <= 1))
        {
            throw new ArgumentException(
                $"Telemetry:TraceSampleRatio is {ratio.ToString(CultureInfo.InvariantCulture)}; expected a number from 0 (tracing off) to 1 (every event), e.g. 0.01 for 1%.");
        }

        return new TracingOptions { TraceSampleRatio = TraceSampleRatio };
    }
}
