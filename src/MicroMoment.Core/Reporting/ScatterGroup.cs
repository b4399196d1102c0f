namespace MicroMoment.Reporting;

/// <summary>The points of one group (e.g. one cluster) in a scatter chart; each group gets its own colour and legend entry.</summary>
/// <param name="Name">Legend entry.</param>
/// <param name="X">Horizontal coordinates.</param>
/// <param name="Y">Vertical coordinates, one per x.</param>
public sealed record ScatterGroup(string Name, IReadOnlyList<double> X, IReadOnlyList<double> Y);
