using System.Collections.Concurrent;

namespace MicroMoment.Silo.Triggers;

/// <summary>
/// Thread-safe counters per (experiment, variant) — the holdout is the variant "holdout". In a silo they collect what
/// its grains count until the next hand-over to the experiment counter grain (<see cref="TakeAll"/>); the experiments
/// report builds one from the grain's totals (<see cref="Restore"/>). Counting an existing pair allocates nothing.
/// </summary>
public sealed class AttributionLedger
{
    private static readonly ExperimentMetric[] Metrics = Enum.GetValues<ExperimentMetric>();
    private static readonly int MetricCount = Metrics.Length;
    private readonly ConcurrentDictionary<(string Experiment, string Variant), long[]> _counts = new();
    private long _changes;

    /// <summary>The variant name of the holdout.</summary>
    public const string HoldoutName = "holdout";

    /// <summary>Counts of changes so far (storage writes the counters only when this moved).</summary>
    public long Changes => Interlocked.Read(ref _changes);

    /// <summary>Adds <paramref name="by"/> to a metric.</summary>
    public void Count(string experiment, string variant, ExperimentMetric metric, long by = 1)
    {
        if (!_counts.TryGetValue((experiment, variant), out var counts))
            counts = _counts.GetOrAdd((experiment, variant), _ => new long[MetricCount]);
        Interlocked.Add(ref counts[(int)metric], by);
        Interlocked.Increment(ref _changes);
    }

    /// <summary>The current value of a metric (0 when never counted).</summary>
    public long Get(string experiment, string variant, ExperimentMetric metric) =>
        _counts.TryGetValue((experiment, variant), out var counts) ? Volatile.Read(ref counts[(int)metric]) : 0;

    /// <summary>The (experiment, variant) pairs counted so far.</summary>
    public IReadOnlyList<(string Experiment, string Variant)> Keys => [.. _counts.Keys.OrderBy(k => k.Experiment, StringComparer.Ordinal).ThenBy(k => k.Variant, StringComparer.Ordinal)];

    /// <summary>Every non-zero counter as (experiment, variant, metric name, value), ordered (what storage writes).</summary>
    public IReadOnlyList<(string Experiment, string Variant, string Metric, long Value)> Snapshot()
    {
        var rows = new List<(string, string, string, long)>();
        foreach (var (experiment, variant) in Keys)
        {
            var counts = _counts[(experiment, variant)];
            for (int m = 0; m < MetricCount; m++)
            {
                long value = Volatile.Read(ref counts[m]);
                if (value != 0) rows.Add((experiment, variant, Metrics[m].ToString(), value));
            }
        }

        return rows;
    }

    /// <summary>
    /// Takes every non-zero counter and leaves it at zero (atomically per counter, so counts made meanwhile are kept for
    /// the next call); what a silo hands to the experiment counter grain.
    /// </summary>
    public List<(string Experiment, string Variant, string Metric, long Value)> TakeAll()
    {
        var rows = new List<(string, string, string, long)>();
        foreach (var ((experiment, variant), counts) in _counts)
        {
            for (int m = 0; m < MetricCount; m++)
            {
                if (Volatile.Read(ref counts[m]) == 0) continue;
                long value = Interlocked.Exchange(ref counts[m], 0);
                if (value != 0) rows.Add((experiment, variant, Metrics[m].ToString(), value));
            }
        }

        return rows;
    }

    /// <summary>
    /// Sets counters read back from storage (at start, before any event). A metric name this build does not know is
    /// skipped and returned, so the caller can report it.
    /// </summary>
    public IReadOnlyList<string> Restore(IEnumerable<(string Experiment, string Variant, string Metric, long Value)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var unknown = new List<string>();
        foreach (var (experiment, variant, metric, value) in rows)
        {
            if (!Enum.TryParse<ExperimentMetric>(metric, ignoreCase: false, out var m) || !Enum.IsDefined(m))
            {
                unknown.Add(metric);
                continue;
            }

            var counts = _counts.GetOrAdd((experiment, variant), _ => new long[MetricCount]);
            Volatile.Write(ref counts[(int)m], value);
        }

        return unknown;
    }
}
