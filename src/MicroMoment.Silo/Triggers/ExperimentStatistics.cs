namespace MicroMoment.Silo.Triggers;

/// <summary>
/// Interval and sequential-test arithmetic for experiment reports: Wilson score intervals for conversion rates,
/// and for the lift (difference of rates, variant − holdout) the mixture sequential probability ratio test
/// (mSPRT, normal mixture with variance τ²) giving an always-valid p-value and confidence sequence that stay valid
/// however often the report is looked at.
/// </summary>
public static class ExperimentStatistics
{
    /// <summary>The Wilson score interval of <paramref name="successes"/> out of <paramref name="trials"/> at normal quantile <paramref name="z"/>; (0, 1) with no trials.</summary>
    public static (double Low, double High) Wilson(long successes, long trials, double z = 1.959963984540054)
    {
        if (trials <= 0) return (0, 1);
        if (successes < 0 || successes > trials) throw new ArgumentOutOfRangeException(nameof(successes), successes, $"expected 0 to trials ({trials}).");
        double n = trials, p = successes / n, z2 = z * z;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = z / (1 + z2 / n) * Math.Sqrt(p * (1 - p) / n + z2 / (4 * n * n));
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// mSPRT for the difference of two rates: the mixture likelihood ratio Λ = √(V/(V+τ²))·exp(τ²θ̂²/(2V(V+τ²))),
    /// with θ̂ = pA − pB and V = pA(1−pA)/nA + pB(1−pB)/nB; the always-valid p-value min(1, 1/Λ) and the
    /// confidence sequence θ̂ ± √(2V(V+τ²)/τ² · (ln(1/α) + ½ ln((V+τ²)/V))), intersected with [−1, 1] (a difference of
    /// two rates cannot leave it, so the clipped sequence keeps its coverage; small samples give half-widths far above 1).
    /// Undefined (NaN, p = 1) while V = 0.
    /// </summary>
    public static (double Difference, double PValue, double Low, double High) Msprt(long xA, long nA, long xB, long nB, double tau2 = 0.0001, double alpha = 0.05)
    {
        if (nA <= 0 || nB <= 0) return (double.NaN, 1, double.NaN, double.NaN);
        double pA = (double)xA / nA, pB = (double)xB / nB, theta = pA - pB;
        double v = pA * (1 - pA) / nA + pB * (1 - pB) / nB;
        if (v <= 0) return (theta, 1, double.NaN, double.NaN);
        double logLambda = 0.5 * Math.Log(v / (v + tau2)) + tau2 * theta * theta / (2 * v * (v + tau2));
        double p = Math.Min(1, Math.Exp(-logLambda));
        double half = Math.Sqrt(2 * v * (v + tau2) / tau2 * (Math.Log(1 / alpha) + 0.5 * Math.Log((v + tau2) / v)));
        return (theta, p, Math.Max(-1, theta - half), Math.Min(1, theta + half));
    }
}
