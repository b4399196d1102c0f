namespace MicroMoment.Cli.Traffic;

/// <summary>Latency observations in milliseconds, thread-safe, with exact percentiles.</summary>
internal sealed class LatencySamples
{
    private readonly Lock _gate = new();
    private readonly List<double> _milliseconds = [];

    /// <summary>Observations so far.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _milliseconds.Count;
        }
    }

    /// <summary>Adds one observation.</summary>
    public void Add(double milliseconds)
    {
        lock (_gate) _milliseconds.Add(milliseconds);
    }

    /// <summary>The p-th percentile (0..100, nearest rank), or NaN without observations.</summary>
    public double Percentile(double p)
    {
        double[] sorted;
        lock (_gate) sorted = [.. _milliseconds];
        if (sorted.Length == 0) return double.NaN;
        Array.Sort(sorted);
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>"p50 1.23 ms, p90 ..., p99 ..., max ..." or "no samples".</summary>
    public string Describe() => Count == 0
        ? "no samples"
        : FormattableString.Invariant($"p50 {Percentile(50):0.00} ms, p90 {Percentile(90):0.00} ms, p99 {Percentile(99):0.00} ms, max {Percentile(100):0.00} ms ({Count:N0} samples)");
}
