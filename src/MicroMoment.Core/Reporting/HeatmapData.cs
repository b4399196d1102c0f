namespace MicroMoment.Reporting;

/// <summary>
/// The cells of a heatmap. Rows may differ in length (e.g. sessions with different numbers of events); a missing or
/// NaN cell is left blank.
/// </summary>
/// <param name="Values">Cell values by row.</param>
/// <param name="RowLabels">One label per row.</param>
public sealed record HeatmapData(IReadOnlyList<IReadOnlyList<double>> Values, IReadOnlyList<string> RowLabels)
{
    /// <summary>Column labels; null = 1, 2, 3, …</summary>
    public IReadOnlyList<string>? ColumnLabels { get; init; }

    /// <summary>Text per cell (a '\n' starts a second line); null = the value formatted with <see cref="ChartOptions.ValueFormat"/>.</summary>
    public IReadOnlyList<IReadOnlyList<string?>>? CellLabels { get; init; }

    /// <summary>Value mapped to the lightest colour; null = the smallest value.</summary>
    public double? ValueMin { get; init; }

    /// <summary>Value mapped to the darkest colour; null = the largest value.</summary>
    public double? ValueMax { get; init; }

    /// <summary>Caption of the colour scale.</summary>
    public string ScaleLabel { get; init; } = "";
}
