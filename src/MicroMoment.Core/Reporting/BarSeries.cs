namespace MicroMoment.Reporting;

/// <summary>One named series of a (grouped) bar chart: a value per category and optional symmetric error bars.</summary>
/// <param name="Name">Legend entry.</param>
/// <param name="Values">Bar heights, one per category; NaN leaves the bar out.</param>
/// <param name="Errors">Half-lengths of the error bars (e.g. standard deviations), one per category, or null for none.</param>
public sealed record BarSeries(string Name, IReadOnlyList<double> Values, IReadOnlyList<double>? Errors = null);
