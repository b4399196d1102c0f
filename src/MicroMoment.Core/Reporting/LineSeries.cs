namespace MicroMoment.Reporting;

/// <summary>One named line of a line chart. NaN values leave a gap; infinite values are rejected.</summary>
/// <param name="Name">Legend entry and tooltip.</param>
/// <param name="X">Horizontal coordinates.</param>
/// <param name="Y">Vertical coordinates, one per x.</param>
public sealed record LineSeries(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y)
{
    /// <summary>Draw the line dashed (e.g. validation next to a solid training curve).</summary>
    public bool Dashed { get; init; }

    /// <summary>Draw a small circle at every point (e.g. reliability-diagram bins, elbow curves).</summary>
    public bool ShowMarkers { get; init; }
}
