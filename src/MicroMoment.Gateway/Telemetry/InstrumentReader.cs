using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MicroMoment.Gateway.Metrics;
using MicroMoment.Silo.Monitoring;

namespace MicroMoment.Gateway.Telemetry;

/// <summary>
/// Reads the project's duration instruments for the dashboard through a <see cref="MeterListener"/>: the same
/// instruments OpenTelemetry collects for /metrics, kept as HdrHistogram distributions for percentiles.
/// </summary>
public sealed class InstrumentReader : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, DurationDistribution> _durations = new(StringComparer.Ordinal);
    private readonly HashSet<string> _meters = new([GatewayMetrics.MeterName, .. SiloMeters.All], StringComparer.Ordinal);

    /// <summary>Starts listening to the duration histograms of the meters <paramref name="scopes"/> reports.</summary>
    public InstrumentReader(MeterScopes scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument is Histogram<double> && instrument.Unit == "s" && _meters.Contains(instrument.Meter.Name) && scopes.Reports(instrument))
                listener.EnableMeasurementEvents(instrument, _durations.GetOrAdd(instrument.Name, static _ => new DurationDistribution()));
        };
        _listener.SetMeasurementEventCallback<double>(static (_, value, _, state) => ((DurationDistribution)state!).Record(value));
        _listener.Start();
    }

    /// <summary>The distribution of the duration instrument <paramref name="name"/> since the previous call and since start.</summary>
    internal DurationSnapshot TakeInterval(string name) =>
        _durations.TryGetValue(name, out var distribution) ? distribution.TakeInterval() : DurationSnapshot.Empty;

    /// <summary>Stops listening.</summary>
    public void Dispose() => _listener.Dispose();
}
