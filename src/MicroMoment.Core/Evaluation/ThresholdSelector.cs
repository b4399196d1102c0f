namespace MicroMoment.Evaluation;

/// <summary>
/// Chooses decision thresholds. Use these on validation data only and then apply the threshold unchanged to the
/// test set: choosing on test data makes the reported F1/precision optimistic.
/// </summary>
public static class ThresholdSelector
{
    /// <summary>
    /// The threshold (one of the observed probabilities) that maximises F1 when predicting positive for every
    /// probability ≥ threshold; among equal F1 the highest threshold wins.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid input or no positive label (F1 is then 0 everywhere).</exception>
    public static ThresholdChoice MaximizeF1(ReadOnlySpan<float> probabilities, ReadOnlySpan<byte> labels)
    {
        int positives = Prepare(probabilities, labels, out var order, out var sorted);
        var best = new ThresholdChoice(float.NaN, -1, 0, 0);
        long tp = 0, fp = 0;
        foreach (var (threshold, groupTp, groupFp) in Groups(order, sorted, labels))
        {
            tp += groupTp;
            fp += groupFp;
            double f1 = 2.0 * tp / ((2.0 * tp) + fp + (positives - tp));
            if (f1 > best.F1)
            {
                best = new ThresholdChoice(threshold, f1, (double)tp / (tp + fp), (double)tp / positives);
            }
        }

        return best;
    }

    /// <summary>
    /// The lowest threshold (one of the observed probabilities, hence the highest recall) whose precision is at
    /// least <paramref name="targetPrecision"/>; null when no threshold reaches it.
    /// </summary>
    /// <exception cref="ArgumentException">Invalid input, no positive label, or a target outside (0, 1].</exception>
    public static ThresholdChoice? ForPrecision(ReadOnlySpan<float> probabilities, ReadOnlySpan<byte> labels, double targetPrecision)
    {
        if (!(targetPrecision > 0 && targetPrecision <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(targetPrecision), targetPrecision, "Expected a target precision in (0, 1].");
        }

        int positives = Prepare(probabilities, labels, out var order, out var sorted);
        ThresholdChoice? best = null;
        long tp = 0, fp = 0;
        foreach (var (threshold, groupTp, groupFp) in Groups(order, sorted, labels))
        {
            tp += groupTp;
            fp += groupFp;
            double precision = (double)tp / (tp + fp);
            if (precision >= targetPrecision)
            {
                double f1 = 2.0 * tp / ((2.0 * tp) + fp + (positives - tp));
                best = new ThresholdChoice(threshold, f1, precision, (double)tp / positives);
            }
        }

        return best;
    }

    private static int Prepare(ReadOnlySpan<float> probabilities, ReadOnlySpan<byte> labels, out int[] order, out float[] sorted)
    {
        int positives = InputChecks.LabelsAndLength(probabilities.Length, labels, nameof(probabilities));
        InputChecks.FiniteScores(probabilities, nameof(probabilities));
        if (positives == 0)
        {
            throw new ArgumentException("Threshold selection needs at least one positive label; got none.", nameof(labels));
        }

        order = InputChecks.AscendingOrder(probabilities, out sorted);
        return positives;
    }

    /// <summary>Distinct thresholds in descending order with the positives and negatives sitting exactly at each.</summary>
    private static List<(float Threshold, long Tp, long Fp)> Groups(int[] order, float[] sorted, ReadOnlySpan<byte> labels)
    {
        var groups = new List<(float, long, long)>();
        for (int i = sorted.Length - 1; i >= 0;)
        {
            float s = sorted[i];
            long tp = 0, fp = 0;
            while (i >= 0 && sorted[i] == s)
            {
                if (labels[order[i]] == 1) tp++; else fp++;
                i--;
            }

            groups.Add((s, tp, fp));
        }

        return groups;
    }
}
