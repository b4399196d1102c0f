namespace MicroMoment.Evaluation;

/// <summary>
/// A binary confusion matrix. Ratios whose denominator is zero are NaN (e.g. <see cref="Precision"/> when nothing
/// is predicted positive), never silently 0.
/// </summary>
/// <param name="TruePositives">Positives predicted positive.</param>
/// <param name="FalsePositives">Negatives predicted positive.</param>
/// <param name="TrueNegatives">Negatives predicted negative.</param>
/// <param name="FalseNegatives">Positives predicted negative.</param>
public readonly record struct Confusion(long TruePositives, long FalsePositives, long TrueNegatives, long FalseNegatives)
{
    /// <summary>Number of examples.</summary>
    public long Total => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;

    /// <summary>Number of actual positives.</summary>
    public long Positives => TruePositives + FalseNegatives;

    /// <summary>Number of actual negatives.</summary>
    public long Negatives => TrueNegatives + FalsePositives;

    /// <summary>Share of correct predictions.</summary>
    public double Accuracy => Ratio(TruePositives + TrueNegatives, Total);

    /// <summary>TP / (TP + FP); NaN when nothing is predicted positive.</summary>
    public double Precision => Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary>TP / (TP + FN), the true-positive rate; NaN when there are no positives.</summary>
    public double Recall => Ratio(TruePositives, Positives);

    /// <summary>2·TP / (2·TP + FP + FN); NaN only when TP, FP and FN are all zero.</summary>
    public double F1 => Ratio(2 * TruePositives, (2 * TruePositives) + FalsePositives + FalseNegatives);

    /// <summary>FP / (FP + TN); NaN when there are no negatives.</summary>
    public double FalsePositiveRate => Ratio(FalsePositives, Negatives);

    /// <summary>
    /// Counts the confusion matrix of predicting positive for every score ≥ <paramref name="threshold"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, a label is not 0/1, or a score is not finite.</exception>
    public static Confusion At(ReadOnlySpan<float> scores, ReadOnlySpan<byte> labels, float threshold)
    {
        InputChecks.LabelsAndLength(scores.Length, labels, nameof(scores));
        InputChecks.FiniteScores(scores, nameof(scores));
        if (float.IsNaN(threshold))
        {
            throw new ArgumentException("The threshold is NaN; expected a number.", nameof(threshold));
        }

        long tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            bool predicted = scores[i] >= threshold;
            if (labels[i] == 1)
            {
                if (predicted) tp++; else fn++;
            }
            else
            {
                if (predicted) fp++; else tn++;
            }
        }

        return new Confusion(tp, fp, tn, fn);
    }

    private static double Ratio(long numerator, long denominator) =>
        denominator == 0 ? double.NaN : (double)numerator / denominator;
}
