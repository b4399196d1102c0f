using System.Diagnostics;

namespace MicroMoment.Silo.Monitoring;

/// <summary>
/// Short in-silo durations (a grain's turn, a batched network step) in buckets from 1 µs to 100 ms plus +Inf. Writers add with
/// interlocked increments from any thread; readers turn the buckets into cumulative counts.
/// </summary>
internal sealed class TurnHistogram
{
    /// <summary>Upper bounds in seconds (the last bucket, +Inf, is implicit).</summary>
    public static readonly double[] Bounds = [0.000001, 0.0000025, 0.000005, 0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1];

    private static readonly long[] BoundTicks = [.. Bounds.Select(b => (long)Math.Round(b * Stopwatch.Frequency))];

    private readonly long[] _counts = new long[Bounds.Length + 1];

    /// <summary>Records one duration of <paramref name="elapsedTicks"/> Stopwatch ticks.</summary>
    public void Observe(long elapsedTicks)
    {
        int bucket = 0;
        while (bucket < BoundTicks.Length && elapsedTicks > BoundTicks[bucket]) bucket++;
        Interlocked.Increment(ref _counts[bucket]);
    }

    /// <summary>Adds this histogram's (non-cumulative) counts into <paramref name="counts"/>.</summary>
    public void AddTo(long[] counts)
    {
        for (int i = 0; i < _counts.Length; i++) counts[i] += Volatile.Read(ref _counts[i]);
    }

    /// <summary>Prometheus-style cumulative buckets (seconds, +Inf last) from summed counts.</summary>
    public static IReadOnlyList<KeyValuePair<double, long>> Cumulative(long[] counts)
    {
        var result = new KeyValuePair<double, long>[counts.Length];
        long running = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            running += counts[i];
            result[i] = KeyValuePair.Create(i < Bounds.Length ? Bounds[i] : double.PositiveInfinity, running);
        }
        return result;
    }
}
