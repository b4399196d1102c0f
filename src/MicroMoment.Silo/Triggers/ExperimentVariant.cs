namespace MicroMoment.Silo.Triggers;

/// <summary>One arm of an experiment: its share of the non-holdout users and the governed rules it enables.</summary>
/// <param name="Name">Variant name.</param>
/// <param name="Weight">Relative weight among the variants.</param>
/// <param name="Rules">Rules enabled in this arm (null: all rules the experiment governs).</param>
public sealed record ExperimentVariant(string Name, double Weight, IReadOnlyList<string>? Rules);
