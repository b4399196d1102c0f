namespace MicroMoment.Evaluation;

/// <summary>A bootstrap percentile confidence interval around a point estimate.</summary>
/// <param name="Estimate">The statistic on the original (not resampled) data.</param>
/// <param name="Lower">Lower percentile bound; NaN when no resample gave a defined statistic.</param>
/// <param name="Upper">Upper percentile bound; NaN when no resample gave a defined statistic.</param>
/// <param name="Level">Nominal coverage, e.g. 0.95.</param>
/// <param name="Iterations">Number of resamples drawn.</param>
/// <param name="ValidIterations">Resamples whose statistic was defined (not NaN), e.g. both classes present for AUC.</param>
public readonly record struct ConfidenceInterval(double Estimate, double Lower, double Upper, double Level, int Iterations, int ValidIterations);
