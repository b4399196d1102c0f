namespace MicroMoment.Evaluation;

/// <summary>Settings for <see cref="LogisticRegression.Fit"/>.</summary>
public sealed record LogisticRegressionOptions
{
    /// <summary>
    /// L2 penalty λ on the standardised feature weights (not the bias) in the objective
    /// (1/W)·Σ wᵢ·lossᵢ + (λ/2)·‖β‖². Must be ≥ 0; 0 may not converge on separable data.
    /// </summary>
    public double L2 { get; init; } = 1e-4;

    /// <summary>Weight each class by N / (2·N_class) so both classes contribute equally.</summary>
    public bool BalanceClasses { get; init; }

    /// <summary>Maximum Newton iterations.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Converged when the largest absolute gradient component falls below this.</summary>
    public double Tolerance { get; init; } = 1e-8;
}
