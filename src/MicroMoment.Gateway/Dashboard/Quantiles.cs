namespace MicroMoment.Gateway.Dashboard;

/// <summary>Percentiles from Prometheus-style cumulative histogram buckets (upper bound → count of observations at or below it).</summary>
public static class Quantiles
{
    /// <summary>
    /// The <paramref name="q"/> quantile, interpolated linearly inside the bucket that holds it (the first bucket starts at 0);
    /// a quantile in the +Inf bucket answers the highest finite bound. NaN when the histogram is empty.
    /// </summary>
    /// <param name="cumulative">Upper bounds ascending with cumulative counts (non-decreasing).</param>
    /// <param name="q">The quantile, 0 to 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="q"/> is outside 0..1.</exception>
    /// <exception cref="ArgumentException">Bounds are not ascending or counts decrease.</exception>
    public static double FromCumulative(IReadOnlyList<KeyValuePair<double, long>> cumulative, double q)
    {
        ArgumentNullException.ThrowIfNull(cumulative);
        if (!(q >= 0 && q <= 1)) throw new ArgumentOutOfRangeException(nameof(q), q, $"A quantile must be between 0 and 1; got {q}.");
        if (cumulative.Count == 0) return double.NaN;
        for (int i = 1; i < cumulative.Count; i++)
        {
            if (!(cumulative[i].Key > cumulative[i - 1].Key))
                throw new ArgumentException($"Histogram bounds must ascend; bound #{i} ({cumulative[i].Key}) follows {cumulative[i - 1].Key}.", nameof(cumulative));
            if (cumulative[i].Value < cumulative[i - 1].Value)
                throw new ArgumentException($"Cumulative counts must not decrease; bucket #{i} has {cumulative[i].Value} after {cumulative[i - 1].Value}.", nameof(cumulative));
        }

        long total = cumulative[^1].Value;
        if (total <= 0) return double.NaN;
        double rank = q * total;
        double lower = 0;
        long below = 0;
        for (int i = 0; i < cumulative.Count; i++)
        {
            var (bound, count) = (cumulative[i].Key, cumulative[i].Value);
            if (count >= rank && count > below)
            {
                if (double.IsPositiveInfinity(bound)) return lower;
                return lower + (bound - lower) * ((rank - below) / (count - below));
            }
            if (!double.IsPositiveInfinity(bound)) lower = bound;
            below = count;
        }
        return lower;
    }

    /// <summary>The buckets of the observations made between two snapshots of the same histogram: <paramref name="now"/> minus <paramref name="before"/>.</summary>
    /// <exception cref="ArgumentException">The snapshots have different bounds.</exception>
    public static KeyValuePair<double, long>[] Difference(IReadOnlyList<KeyValuePair<double, long>> now, IReadOnlyList<KeyValuePair<double, long>> before)
    {
        ArgumentNullException.ThrowIfNull(now);
        ArgumentNullException.ThrowIfNull(before);
        if (before.Count == 0) return [.. now];
        if (now.Count != before.Count)
            throw new ArgumentException($"Both snapshots must have the same buckets; got {now.Count} and {before.Count}.", nameof(before));
        var result = new KeyValuePair<double, long>[now.Count];
        for (int i = 0; i < now.Count; i++)
        {
            if (now[i].Key != before[i].Key)
                throw new ArgumentException($"Both snapshots must have the same bounds; bucket #{i} is {now[i].Key} and {before[i].Key}.", nameof(before));
            result[i] = KeyValuePair.Create(now[i].Key, Math.Max(0, now[i].Value - before[i].Value));
        }
        return result;
    }
}
