using System.Globalization;
using MicroMoment.Evaluation;

namespace MicroMoment.Reporting;

/// <summary>Invariant-culture formatting of metric values for report tables; undefined values read "n/a".</summary>
public static class ReportFormat
{
    /// <summary>The value with <paramref name="decimals"/> decimals, or "n/a" when NaN/infinite.</summary>
    public static string Number(double value, int decimals = 3) =>
        double.IsFinite(value) ? value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "n/a";

    /// <summary>A share as a percentage, e.g. "12.5%".</summary>
    public static string Percent(double share, int decimals = 1) =>
        double.IsFinite(share) ? (share * 100).ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "%" : "n/a";

    /// <summary>"mean ± sd (n = …)", e.g. "0.912 ± 0.004 (n = 5)"; the ± part is left out when sd is undefined.</summary>
    public static string MeanSd(Summary summary, int decimals = 3) =>
        double.IsFinite(summary.StandardDeviation)
            ? $"{Number(summary.Mean, decimals)} ± {Number(summary.StandardDeviation, decimals)} (n = {summary.Count})"
            : $"{Number(summary.Mean, decimals)} (n = {summary.Count})";

    /// <summary>"estimate [lower, upper]", e.g. "0.912 [0.903, 0.920]".</summary>
    public static string Interval(ConfidenceInterval interval, int decimals = 3) =>
        $"{Number(interval.Estimate, decimals)} [{Number(interval.Lower, decimals)}, {Number(interval.Upper, decimals)}]";
}
