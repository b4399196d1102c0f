using System.Diagnostics;

namespace MicroMoment.Silo.Monitoring;

/// <summary>
/// Event processing latency (enqueue to decision) in buckets from 50 µs to 1 s plus +Inf. Writers add with
/// interlocked increments from any thread; readers sum the buckets of all workers into Prometheus-style cumulative counts.
/// </summary>
internal sealed class LatencyHistogram
{
    /// <summary>Upper bounds in seconds (the last bucket, +Inf, is implicit).</summary>
    public static readonly double[] Bounds = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];

    private static readonly long[] BoundTicks = [.. Bounds.Select(b => (long)Math.Round(b * Stopwatch.Frequency))];

    private readonly long[] _counts = new long[Bounds.Length + 1];
    private long _sumTicks;
    private long _count;

    /// <summary>Records one latency of <paramref name="elapsedTicks"/> Stopwatch ticks.</summary>
    public void Observe(long elapsedTicks)
    {
        int bucket = 0;
        while (bucket < BoundTicks.Length && elapsedTicks > BoundTicks[bucket]) bucket++;
        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Add(ref _sumTicks, elapsedTicks);
        Interlocked.Increment(ref _count);
    }

    /// <summary>Adds this histogram's (non-cumulative) counts, sum and count into the totals.</summary>
    public void AddTo(long[] counts, ref long sumTicks, ref long count)
    {
        for (int i = 0; i < _counts.Length; i++) counts[i] += Volatile.Read(ref _counts[i]);
        sumTicks += Volatile.Read(ref _sumTicks);
        count += Volatile.Read(ref _count);
    }
}
