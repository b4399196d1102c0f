using System.Diagnostics.Metrics;

namespace MicroMoment.Silo.Monitoring;

/// <summary>The names of the silo's meters (one per subsystem) and how they are created.</summary>
public static class SiloMeters
{
    /// <summary>User grains: events, drops, sessions, activations, the event and grain-turn durations, the silo's front.</summary>
    public const string Grains = "MicroMoment.Grains";

    /// <summary>Trigger decisions: offers, suppressions, the running policy and the monitoring alerts.</summary>
    public const string Triggers = "MicroMoment.Triggers";

    /// <summary>The batched model executor: batches, rows, failures, the step duration.</summary>
    public const string Executor = "MicroMoment.Executor";

    /// <summary>Grain storage: writes, failures, damaged states, pending changes.</summary>
    public const string Storage = "MicroMoment.Storage";

    /// <summary>Every silo meter.</summary>
    public static IReadOnlyList<string> All { get; } = [Grains, Triggers, Executor, Storage];

    /// <summary>Bucket bounds (seconds) for short in-silo durations: a grain's turn, a batched network step (1 µs to 100 ms).</summary>
    public static IReadOnlyList<double> ShortDurationBounds { get; } = [0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];

    /// <summary>Bucket bounds (seconds) for request-sized durations: event processing, WebSocket messages, offer delivery (50 µs to 10 s).</summary>
    public static IReadOnlyList<double> LatencyBounds { get; } = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>A meter from <paramref name="factory"/> (scoped to its container), or an unscoped one when there is none.</summary>
    public static Meter Create(IMeterFactory? factory, string name) =>
        factory?.Create(new MeterOptions(name)) ?? new Meter(name);

    /// <summary>A duration histogram in seconds, advising <paramref name="bounds"/> as its explicit buckets.</summary>
    public static Histogram<double> Duration(Meter meter, string name, string description, IReadOnlyList<double> bounds) =>
        meter.CreateHistogram(name, "s", description, tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = bounds });
}
