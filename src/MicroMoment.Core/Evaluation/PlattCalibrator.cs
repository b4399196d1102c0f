namespace MicroMoment.Evaluation;

/// <summary>
/// Platt scaling: p = 1 / (1 + exp(A·s + B)) on a raw logit or score s (a well-ranked model gets A &lt; 0).
/// Fit on validation data with Newton's method and Platt's smoothed targets (N₊+1)/(N₊+2) and 1/(N₋+2),
/// which keep A and B finite even on separable data.
/// </summary>
public sealed class PlattCalibrator : IProbabilityCalibrator
{
    /// <summary>Creates a calibrator from saved parameters.</summary>
    /// <exception cref="ArgumentException">A parameter is not finite.</exception>
    public PlattCalibrator(double a, double b)
    {
        if (!double.IsFinite(a) || !double.IsFinite(b))
        {
            throw new ArgumentException($"Platt parameters must be finite; got A = {a}, B = {b}.");
        }

        A = a;
        B = b;
    }

    /// <summary>Slope parameter A of p = 1 / (1 + exp(A·s + B)).</summary>
    public double A { get; }

    /// <summary>Offset parameter B of p = 1 / (1 + exp(A·s + B)).</summary>
    public double B { get; }

    /// <summary>Newton iterations used by <see cref="Fit"/>; 0 for a calibrator built from parameters.</summary>
    public int Iterations { get; private init; }

    /// <inheritdoc/>
    public string Method => "platt";

    /// <inheritdoc/>
    public float Apply(float logitOrScore)
    {
        double z = (A * logitOrScore) + B;
        return (float)(z >= 0 ? Math.Exp(-z) / (1 + Math.Exp(-z)) : 1 / (1 + Math.Exp(z)));
    }

    /// <summary>
    /// Fits A and B by minimising the cross-entropy against Platt's smoothed targets with Newton steps and a
    /// backtracking line search, until the gradient is below 1e-9 per example or 100 iterations.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, labels are not 0/1, a value is not finite, or a class is missing.</exception>
    public static PlattCalibrator Fit(ReadOnlySpan<float> logits, ReadOnlySpan<byte> labels)
    {
        int positives = InputChecks.LabelsAndLength(logits.Length, labels, nameof(logits));
        InputChecks.FiniteScores(logits, nameof(logits));
        int negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            throw new ArgumentException(
                $"Platt scaling needs both classes; got {positives} positives and {negatives} negatives.", nameof(labels));
        }

        double highTarget = (positives + 1.0) / (positives + 2.0);
        double lowTarget = 1.0 / (negatives + 2.0);
        int n = logits.Length;
        double a = 0, b = Math.Log((negatives + 1.0) / (positives + 1.0));
        double objective = Objective(logits, labels, highTarget, lowTarget, a, b);
        const double ridge = 1e-12;
        int iteration = 0;
        for (; iteration < 100; iteration++)
        {
            double gA = 0, gB = 0, hAA = ridge, hBB = ridge, hAB = 0;
            for (int i = 0; i < n; i++)
            {
                double s = logits[i];
                double t = labels[i] == 1 ? highTarget : lowTarget;
                double z = (a * s) + b;
                double p = z >= 0 ? Math.Exp(-z) / (1 + Math.Exp(-z)) : 1 / (1 + Math.Exp(z));
                double q = 1 - p;
                double d2 = p * q;
                gA += s * (t - p);
                gB += t - p;
                hAA += s * s * d2;
                hBB += d2;
                hAB += s * d2;
            }

            if (Math.Abs(gA) < 1e-9 * n && Math.Abs(gB) < 1e-9 * n)
            {
                break;
            }

            double det = (hAA * hBB) - (hAB * hAB);
            double dA = -((hBB * gA) - (hAB * gB)) / det;
            double dB = -((-hAB * gA) + (hAA * gB)) / det;
            double slope = (gA * dA) + (gB * dB);
            double step = 1;
            bool improved = false;
            while (step >= 1e-10)
            {
                double na = a + (step * dA), nb = b + (step * dB);
                double candidate = Objective(logits, labels, highTarget, lowTarget, na, nb);
                if (candidate <= objective + (1e-4 * step * slope))
                {
                    a = na;
                    b = nb;
                    objective = candidate;
                    improved = true;
                    break;
                }

                step /= 2;
            }

            if (!improved)
            {
                break;
            }
        }

        return new PlattCalibrator(a, b) { Iterations = iteration };
    }

    private static double Objective(ReadOnlySpan<float> logits, ReadOnlySpan<byte> labels, double high, double low, double a, double b)
    {
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            double t = labels[i] == 1 ? high : low;
            double z = (a * logits[i]) + b;
            // −[t·ln p + (1 − t)·ln(1 − p)] with p = 1 / (1 + e^z), written to avoid overflow.
            sum += z >= 0 ? (t * z) + Math.Log(1 + Math.Exp(-z)) : ((t - 1) * z) + Math.Log(1 + Math.Exp(z));
        }

        return sum;
    }
}
