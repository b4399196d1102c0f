namespace MicroMoment.Reporting;

/// <summary>A vertical annotation line at <paramref name="X"/> with a short label (e.g. "k = 4").</summary>
/// <param name="X">Position on the x axis.</param>
/// <param name="Label">Text drawn next to the line.</param>
public readonly record struct ChartMarker(double X, string Label);
