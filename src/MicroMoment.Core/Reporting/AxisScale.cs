using System.Globalization;

namespace MicroMoment.Reporting;

/// <summary>A linear axis: its value range, its ticks at "nice" steps (1, 2, 2.5, 5 × 10ⁿ) and their labels.</summary>
internal sealed class AxisScale
{
    private readonly string _format;

    private AxisScale(double min, double max, double[] ticks, string format)
    {
        Min = min;
        Max = max;
        Ticks = ticks;
        _format = format;
    }

    public double Min { get; }

    public double Max { get; }

    public double[] Ticks { get; }

    public string Label(double v) => (Math.Abs(v) < 1e-12 ? 0 : v).ToString(_format, CultureInfo.InvariantCulture);

    /// <summary>
    /// Builds a scale covering the data range [<paramref name="dataMin"/>, <paramref name="dataMax"/>]; fixed ends, when
    /// given, are used as they are, free ends are widened to the next tick.
    /// </summary>
    public static AxisScale Create(double dataMin, double dataMax, double? fixedMin, double? fixedMax, int targetTicks = 6)
    {
        double lo = fixedMin ?? dataMin;
        double hi = fixedMax ?? dataMax;
        if (!double.IsFinite(lo) || !double.IsFinite(hi))
        {
            lo = 0;
            hi = 1;
        }

        if (hi < lo)
        {
            throw new ArgumentException($"The axis range [{lo}, {hi}] is inverted; expected minimum ≤ maximum.");
        }

        if (hi == lo)
        {
            double pad = lo == 0 ? 1 : Math.Abs(lo) * 0.1;
            if (fixedMin is null) lo -= pad;
            if (fixedMax is null || hi == lo) hi += pad;
        }

        double step = NiceStep((hi - lo) / Math.Max(targetTicks - 1, 1));
        if (fixedMin is null) lo = Math.Floor((lo / step) + 1e-9) * step;
        if (fixedMax is null) hi = Math.Ceiling((hi / step) - 1e-9) * step;

        var ticks = new List<double>();
        double first = Math.Ceiling((lo / step) - 1e-9) * step;
        for (double t = first; t <= hi + (step * 1e-6); t += step)
        {
            ticks.Add(Math.Round(t / step) * step);
            if (ticks.Count > 50)
            {
                break;
            }
        }

        int decimals = Math.Max(0, (int)-Math.Floor(Math.Log10(step) + 1e-9));
        if (Math.Abs((step / Math.Pow(10, -decimals)) - Math.Round(step / Math.Pow(10, -decimals))) > 1e-6)
        {
            decimals++; // steps like 0.25
        }

        return new AxisScale(lo, hi, ticks.ToArray(), "F" + Math.Min(decimals, 6).ToString(CultureInfo.InvariantCulture));
    }

    private static double NiceStep(double rough)
    {
        if (!(rough > 0) || !double.IsFinite(rough))
        {
            return 1;
        }

        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        double m = rough / magnitude;
        double nice = m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10;
        return nice * magnitude;
    }
}
