using System.Collections.Concurrent;

namespace MicroMoment.Silo.Triggers;

/// <summary>
/// Thread-safe counters per (experiment, variant) — the holdout is the variant "holdout" — fed by the grains on
/// every worker. Counting an existing pair allocates nothing.
/// </summary>
public sealed class AttributionLedger
{
    private static readonly int MetricCount = Enum.GetValues<ExperimentMetric>().Length;
    private readonly ConcurrentDictionary<(string Experiment, string Variant), long[]> _counts = new();

    /// <summary>The variant name of the holdout.</summary>
    public const string HoldoutName = "holdout";

    /// <summary>Adds <paramref name="by"/> to a metric.</summary>
    public void Count(string experiment, string variant, ExperimentMetric metric, long by = 1)
    {
        if (!_counts.TryGetValue((experiment, variant), out var counts))
            counts = _counts.GetOrAdd((experiment, variant), _ => new long[MetricCount]);
        Interlocked.Add(ref counts[(int)metric], by);
    }

    /// <summary>The current value of a metric (0 when never counted).</summary>
    public long Get(string experiment, string variant, ExperimentMetric metric) =>
        _counts.TryGetValue((experiment, variant), out var counts) ? Volatile.Read(ref counts[(int)metric]) : 0;

    /// <summary>The (experiment, variant) pairs counted so far.</summary>
    public IReadOnlyList<(string Experiment, string Variant)> Keys => [.. _counts.Keys.OrderBy(k => k.Experiment, StringComparer.Ordinal).ThenBy(k => k.Variant, StringComparer.Ordinal)];
}
