using HdrHistogram;

namespace MicroMoment.Gateway.Telemetry;

/// <summary>Count, mean and percentiles (seconds; NaN when empty) of a duration distribution.</summary>
internal sealed record Summary(long Count, double Mean, double P50, double P95, double P99)
{
    /// <summary>Nothing recorded.</summary>
    public static Summary Empty { get; } = new(0, double.NaN, double.NaN, double.NaN, double.NaN);

    /// <summary>Reads <paramref name="histogram"/> (values in nanoseconds).</summary>
    public static Summary Of(HistogramBase histogram)
    {
        long count = histogram.TotalCount;
        if (count == 0) return Empty;
        return new(count, histogram.GetMean() / 1e9, histogram.GetValueAtPercentile(50) / 1e9, histogram.GetValueAtPercentile(95) / 1e9, histogram.GetValueAtPercentile(99) / 1e9);
    }
}
