using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace MicroMoment.Gateway.Metrics;

/// <summary>Counters by label value, capped in how many distinct values it keeps (the rest count under "other") so a stream of odd reasons cannot grow the metrics without bound.</summary>
internal sealed class BoundedCounterSet(int maxLabels)
{
    /// <summary>The label that absorbs values beyond the cap.</summary>
    public const string Overflow = "other";

    private readonly ConcurrentDictionary<string, StrongBox<long>> _counts = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="amount"/> to the counter of <paramref name="label"/>.</summary>
    public void Add(string label, long amount = 1)
    {
        if (!_counts.TryGetValue(label, out var box))
        {
            box = _counts.Count < maxLabels ? _counts.GetOrAdd(label, static _ => new StrongBox<long>()) : _counts.GetOrAdd(Overflow, static _ => new StrongBox<long>());
        }
        Interlocked.Add(ref box.Value, amount);
    }

    /// <summary>The current value of one label (0 when never counted).</summary>
    public long Get(string label) => _counts.TryGetValue(label, out var box) ? Interlocked.Read(ref box.Value) : 0;

    /// <summary>A snapshot of every label, ordered by label.</summary>
    public KeyValuePair<string, long>[] Snapshot() =>
        [.. _counts.Select(p => KeyValuePair.Create(p.Key, Interlocked.Read(ref p.Value.Value))).OrderBy(p => p.Key, StringComparer.Ordinal)];
}
