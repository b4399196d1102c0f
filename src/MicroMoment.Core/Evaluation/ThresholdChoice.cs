namespace MicroMoment.Evaluation;

/// <summary>A decision threshold (predict positive when probability ≥ threshold) and what it achieved on the data it was chosen on.</summary>
/// <param name="Threshold">The chosen threshold.</param>
/// <param name="F1">F1 at the threshold.</param>
/// <param name="Precision">Precision at the threshold.</param>
/// <param name="Recall">Recall at the threshold.</param>
public readonly record struct ThresholdChoice(float Threshold, double F1, double Precision, double Recall);
