namespace MicroMoment.Evaluation;

/// <summary>Mean, sample standard deviation, range and count of repeated measurements (e.g. AUC over repeated splits).</summary>
/// <param name="Mean">Arithmetic mean; NaN when empty.</param>
/// <param name="StandardDeviation">Sample standard deviation (n − 1 denominator); NaN when fewer than 2 values, since one run says nothing about spread.</param>
/// <param name="Min">Smallest value; NaN when empty.</param>
/// <param name="Max">Largest value; NaN when empty.</param>
/// <param name="Count">Number of values.</param>
public readonly record struct Summary(double Mean, double StandardDeviation, double Min, double Max, int Count)
{
    /// <summary>Summarises the values.</summary>
    /// <exception cref="ArgumentException">A value is NaN or infinite.</exception>
    public static Summary Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        int n = 0;
        double mean = 0, m2 = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (!double.IsFinite(v))
            {
                throw new ArgumentException($"Value #{n} is {v}; expected finite values to summarise.", nameof(values));
            }

            // Welford's running update keeps the variance accurate for values far from zero.
            n++;
            double delta = v - mean;
            mean += delta / n;
            m2 += delta * (v - mean);
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        if (n == 0)
        {
            return new Summary(double.NaN, double.NaN, double.NaN, double.NaN, 0);
        }

        return new Summary(mean, n >= 2 ? Math.Sqrt(m2 / (n - 1)) : double.NaN, min, max, n);
    }

    /// <summary>Summarises the defined values only: NaN entries (e.g. an AUC on a split where one class is
    /// absent) are skipped, and <see cref="Count"/> says how many were used.</summary>
    public static Summary OfDefined(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Of(values.Where(v => !double.IsNaN(v)));
    }
}
