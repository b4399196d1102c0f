namespace MicroMoment.Evaluation;

/// <summary>
/// Ranking, probability and calibration metrics for binary labels. Labels are bytes (0 = negative, 1 = positive);
/// <see cref="bool"/> overloads reinterpret the span without copying. Scores are any finite numbers where higher
/// means "more likely positive"; probability metrics additionally require values in [0, 1].
/// </summary>
public static class BinaryMetrics
{
    /// <summary>The maximum number of points <see cref="RocCurve"/> and <see cref="PrCurve"/> return by default.</summary>
    public const int DefaultMaxCurvePoints = 300;

    /// <summary>
    /// Area under the ROC curve (probability that a random positive scores above a random negative; tied scores
    /// count one half, equivalent to average ranks). Returns NaN when either class is absent, because the AUC
    /// is undefined without both a positive and a negative.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, a label is not 0/1, or a score is not finite.</exception>
    public static double RocAuc(ReadOnlySpan<float> scores, ReadOnlySpan<byte> labels)
    {
        int positives = InputChecks.LabelsAndLength(scores.Length, labels, nameof(scores));
        InputChecks.FiniteScores(scores, nameof(scores));
        int negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            return double.NaN;
        }

        var order = InputChecks.AscendingOrder(scores, out var sorted);
        return WeightedAuc(order, sorted, labels, weights: null, positives, negatives);
    }

    /// <inheritdoc cref="RocAuc(ReadOnlySpan{float}, ReadOnlySpan{byte})"/>
    public static double RocAuc(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels) =>
        RocAuc(scores, BinaryLabels.AsBytes(labels));

    /// <summary>
    /// ROC curve from (0, 0) to (1, 1): one vertex per distinct score (ties move diagonally), thinned to at most
    /// <paramref name="maxPoints"/> points by dropping collinear points and then the least prominent vertices,
    /// so the plotted shape is preserved. Returns an empty array when either class is absent.
    /// </summary>
    public static CurvePoint[] RocCurve(ReadOnlySpan<float> scores, ReadOnlySpan<byte> labels, int maxPoints = DefaultMaxCurvePoints)
    {
        int positives = InputChecks.LabelsAndLength(scores.Length, labels, nameof(scores));
        InputChecks.FiniteScores(scores, nameof(scores));
        int negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            return [];
        }

        var thresholds = CountsAtThresholds(scores, labels);
        var points = new CurvePoint[thresholds.Length + 1];
        points[0] = new CurvePoint(0, 0, float.PositiveInfinity);
        for (int k = 0; k < thresholds.Length; k++)
        {
            var (tp, fp, s) = thresholds[k];
            points[k + 1] = new CurvePoint((double)fp / negatives, (double)tp / positives, s);
        }

        return CurveThinning.Thin(points, maxPoints);
    }

    /// <summary>
    /// Average precision (the step-wise area under the precision–recall curve): Σ (Rₖ − Rₖ₋₁)·Pₖ over distinct
    /// score thresholds in descending order, tied scores forming one threshold. NaN when there are no positives.
    /// </summary>
    public static double AveragePrecision(ReadOnlySpan<float> scores, ReadOnlySpan<byte> labels)
    {
        int positives = InputChecks.LabelsAndLength(scores.Length, labels, nameof(scores));
        InputChecks.FiniteScores(scores, nameof(scores));
        if (positives == 0)
        {
            return double.NaN;
        }

        double ap = 0, previousRecall = 0;
        foreach (var (tp, fp, _) in CountsAtThresholds(scores, labels))
        {
            double recall = (double)tp / positives;
            ap += (recall - previousRecall) * tp / (tp + fp);
            previousRecall = recall;
        }

        return ap;
    }

    /// <inheritdoc cref="AveragePrecision(ReadOnlySpan{float}, ReadOnlySpan{byte})"/>
    public static double AveragePrecision(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels) =>
        AveragePrecision(scores, BinaryLabels.AsBytes(labels));

    /// <summary>
    /// Precision–recall curve: starts at (recall 0, precision 1) and has one point per distinct score in descending
    /// order, thinned to at most <paramref name="maxPoints"/> points. Empty when there are no positives.
    /// </summary>
    public static CurvePoint[] PrCurve(ReadOnlySpan<float> scores, ReadOnlySpan<byte> labels, int maxPoints = DefaultMaxCurvePoints)
    {
        int positives = InputChecks.LabelsAndLength(scores.Length, labels, nameof(scores));
        InputChecks.FiniteScores(scores, nameof(scores));
        if (positives == 0)
        {
            return [];
        }

        var thresholds = CountsAtThresholds(scores, labels);
        var points = new CurvePoint[thresholds.Length + 1];
        points[0] = new CurvePoint(0, 1, float.PositiveInfinity);
        for (int k = 0; k < thresholds.Length; k++)
        {
            var (tp, fp, s) = thresholds[k];
            points[k + 1] = new CurvePoint((double)tp / positives, (double)tp / (tp + fp), s);
        }

        return CurveThinning.Thin(points, maxPoints);
    }

    /// <summary>
    /// Mean binary cross-entropy (natural log) with probabilities clipped to [<paramref name="epsilon"/>, 1 − <paramref name="epsilon"/>]
    /// so a confident mistake costs at most −ln(ε) instead of infinity. NaN for empty input.
    /// </summary>
    /// <exception cref="ArgumentException">A probability is outside [0, 1] or NaN, or the labels are invalid.</exception>
    public static double LogLoss(ReadOnlySpan<float> probabilities, ReadOnlySpan<byte> labels, double epsilon = 1e-7)
    {
        InputChecks.LabelsAndLength(probabilities.Length, labels, nameof(probabilities));
        InputChecks.Probabilities(probabilities, nameof(probabilities));
        if (!(epsilon > 0 && epsilon < 0.5))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Expected a clipping epsilon in (0, 0.5).");
        }

        if (probabilities.Length == 0)
        {
            return double.NaN;
        }

        double sum = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            double p = Math.Clamp(probabilities[i], epsilon, 1 - epsilon);
            sum -= labels[i] == 1 ? Math.Log(p) : Math.Log(1 - p);
        }

        return sum / probabilities.Length;
    }

    /// <summary>
    /// Expected calibration error over <paramref name="bins"/> equal-width bins of [0, 1]:
    /// Σ (nᵦ / N)·|mean predicted − observed positive rate|. NaN for empty input.
    /// </summary>
    public static double ExpectedCalibrationError(ReadOnlySpan<float> probabilities, ReadOnlySpan<byte> labels, int bins = 10)
    {
        var diagram = ReliabilityDiagram(probabilities, labels, bins);
        if (probabilities.Length == 0)
        {
            return double.NaN;
        }

        double ece = 0;
        foreach (var bin in diagram)
        {
            ece += (double)bin.Count / probabilities.Length * Math.Abs(bin.MeanPredicted - bin.ObservedRate);
        }

        return ece;
    }

    /// <summary>
    /// Reliability diagram over <paramref name="bins"/> equal-width bins of [0, 1] (a probability of exactly 1
    /// falls in the last bin). Bins holding no example are omitted, so every returned bin has Count ≥ 1.
    /// </summary>
    public static ReliabilityBin[] ReliabilityDiagram(ReadOnlySpan<float> probabilities, ReadOnlySpan<byte> labels, int bins = 10)
    {
        InputChecks.LabelsAndLength(probabilities.Length, labels, nameof(probabilities));
        InputChecks.Probabilities(probabilities, nameof(probabilities));
        if (bins < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(bins), bins, "Expected at least 1 bin.");
        }

        var sums = new double[bins];
        var positives = new long[bins];
        var counts = new long[bins];
        for (int i = 0; i < probabilities.Length; i++)
        {
            int b = Math.Min((int)(probabilities[i] * bins), bins - 1);
            sums[b] += probabilities[i];
            positives[b] += labels[i];
            counts[b]++;
        }

        var result = new List<ReliabilityBin>(bins);
        for (int b = 0; b < bins; b++)
        {
            if (counts[b] > 0)
            {
                result.Add(new ReliabilityBin(
                    (double)b / bins, (double)(b + 1) / bins, sums[b] / counts[b], (double)positives[b] / counts[b], counts[b]));
            }
        }

        return result.ToArray();
    }

    /// <summary>
    /// ROC AUC computed separately within each bucket (e.g. prefix-length buckets from <see cref="PrefixLengthBuckets"/>),
    /// sorted by bucket key. A bucket with a single class has AUC NaN.
    /// </summary>
    public static BucketAuc[] AucByBucket(ReadOnlySpan<float> scores, ReadOnlySpan<byte> labels, ReadOnlySpan<int> bucketKeys)
    {
        InputChecks.LabelsAndLength(scores.Length, labels, nameof(scores));
        if (bucketKeys.Length != scores.Length)
        {
            throw new ArgumentException(
                $"bucketKeys has {bucketKeys.Length} entries but scores has {scores.Length}; expected one bucket key per score.",
                nameof(bucketKeys));
        }

        var members = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < bucketKeys.Length; i++)
        {
            if (!members.TryGetValue(bucketKeys[i], out var list))
            {
                members[bucketKeys[i]] = list = [];
            }

            list.Add(i);
        }

        var result = new BucketAuc[members.Count];
        int k = 0;
        foreach (var (key, indices) in members)
        {
            var s = new float[indices.Count];
            var y = new byte[indices.Count];
            int pos = 0;
            for (int j = 0; j < indices.Count; j++)
            {
                s[j] = scores[indices[j]];
                y[j] = labels[indices[j]];
                pos += y[j];
            }

            result[k++] = new BucketAuc(key, RocAuc(s, y), indices.Count, pos);
        }

        return result;
    }

    /// <summary>
    /// The cumulative true and false positives when everything scoring at least the threshold is called positive,
    /// one entry per distinct score, from the highest score down (tied scores form one threshold).
    /// </summary>
    private static (long TruePositives, long FalsePositives, float Threshold)[] CountsAtThresholds(ReadOnlySpan<float> scores, ReadOnlySpan<byte> labels)
    {
        var order = InputChecks.AscendingOrder(scores, out var sorted);
        var result = new List<(long, long, float)>();
        long tp = 0, fp = 0;
        for (int i = sorted.Length - 1; i >= 0;)
        {
            float s = sorted[i];
            while (i >= 0 && sorted[i] == s)
            {
                if (labels[order[i]] == 1) tp++; else fp++;
                i--;
            }

            result.Add((tp, fp, s));
        }

        return result.ToArray();
    }

    /// <summary>
    /// AUC from examples already sorted by ascending score, each example weighted (null = weight 1):
    /// Σ over tie groups of W⁺(group)·(W⁻ below + ½·W⁻(group)), divided by W⁺·W⁻.
    /// </summary>
    internal static double WeightedAuc(int[] order, float[] sortedScores, ReadOnlySpan<byte> labels, int[]? weights, double totalPositive, double totalNegative)
    {
        if (totalPositive <= 0 || totalNegative <= 0)
        {
            return double.NaN;
        }

        double negativesBelow = 0, area = 0;
        int n = sortedScores.Length;
        for (int i = 0; i < n;)
        {
            float s = sortedScores[i];
            double groupPositive = 0, groupNegative = 0;
            while (i < n && sortedScores[i] == s)
            {
                int e = order[i];
                double w = weights is null ? 1 : weights[e];
                if (labels[e] == 1) groupPositive += w; else groupNegative += w;
                i++;
            }

            area += groupPositive * (negativesBelow + (0.5 * groupNegative));
            negativesBelow += groupNegative;
        }

        return area / (totalPositive * totalNegative);
    }
}
