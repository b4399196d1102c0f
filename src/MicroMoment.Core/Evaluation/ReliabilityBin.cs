namespace MicroMoment.Evaluation;

/// <summary>One equal-width bin of a reliability (calibration) diagram.</summary>
/// <param name="Lower">Inclusive lower edge of the bin.</param>
/// <param name="Upper">Upper edge (exclusive, except 1.0 for the last bin).</param>
/// <param name="MeanPredicted">Mean predicted probability of the examples in the bin.</param>
/// <param name="ObservedRate">Share of positives among the examples in the bin.</param>
/// <param name="Count">Number of examples in the bin.</param>
public readonly record struct ReliabilityBin(double Lower, double Upper, double MeanPredicted, double ObservedRate, long Count);
