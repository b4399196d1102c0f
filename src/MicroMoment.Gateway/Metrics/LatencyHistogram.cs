namespace MicroMoment.Gateway.Metrics;

/// <summary>A lock-free latency histogram with fixed bucket bounds (seconds), written out Prometheus style.</summary>
internal sealed class LatencyHistogram
{
    /// <summary>Bucket upper bounds, seconds: 50 µs to 10 s.</summary>
    public static readonly double[] DefaultBounds = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly double[] _bounds;
    private readonly long[] _counts;
    private long _count;
    private long _sumNanoseconds;

    /// <summary>Creates a histogram over <paramref name="bounds"/> (ascending), or the default bounds.</summary>
    public LatencyHistogram(double[]? bounds = null)
    {
        _bounds = bounds ?? DefaultBounds;
        _counts = new long[_bounds.Length + 1];
    }

    /// <summary>Bucket upper bounds, seconds.</summary>
    public ReadOnlySpan<double> Bounds => _bounds;

    /// <summary>Observations so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Sum of the observations, seconds.</summary>
    public double Sum => Interlocked.Read(ref _sumNanoseconds) / 1e9;

    /// <summary>Records one observation.</summary>
    public void Observe(double seconds)
    {
        var i = 0;
        while (i < _bounds.Length && seconds > _bounds[i]) i++;
        Interlocked.Increment(ref _counts[i]);
        Interlocked.Add(ref _sumNanoseconds, (long)(Math.Max(0, seconds) * 1e9));
        Interlocked.Increment(ref _count);
    }

    /// <summary>Cumulative counts per bound (the last entry is +Inf), as Prometheus expects.</summary>
    public long[] Cumulative()
    {
        var result = new long[_counts.Length];
        long running = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            running += Interlocked.Read(ref _counts[i]);
            result[i] = running;
        }
        return result;
    }
}
