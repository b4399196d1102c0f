using MicroMoment.Numerics;

namespace MicroMoment.Evaluation;

/// <summary>
/// Cluster (group) bootstrap: whole groups — sessions — are resampled with replacement, so the correlated
/// events of one session stay together and the interval is not falsely narrow. Uses the shared SplitMix64
/// generator, so results are identical for a given seed on every platform.
/// </summary>
public static class Bootstrap
{
    /// <summary>
    /// Percentile interval of <paramref name="statistic"/> over <paramref name="iterations"/> resamples of
    /// <paramref name="groupCount"/> groups. The statistic receives the resampled group indices (length
    /// <paramref name="groupCount"/>, repeats allowed; the identity 0..n−1 for the point estimate). The array is
    /// reused between calls, so the statistic must not keep it. NaN results are skipped and counted.
    /// </summary>
    public static ConfidenceInterval Interval(
        int groupCount, Func<int[], double> statistic, int iterations = 1000, ulong seed = 1, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(statistic);
        Validate(groupCount, iterations, level);
        var indices = new int[groupCount];
        for (int i = 0; i < groupCount; i++)
        {
            indices[i] = i;
        }

        double estimate = statistic(indices);
        var rng = new SplitMix64(seed);
        var values = new List<double>(iterations);
        for (int it = 0; it < iterations; it++)
        {
            for (int i = 0; i < groupCount; i++)
            {
                indices[i] = rng.NextInt(groupCount);
            }

            double v = statistic(indices);
            if (!double.IsNaN(v))
            {
                values.Add(v);
            }
        }

        return Percentiles(estimate, values, level, iterations);
    }

    /// <summary>
    /// Percentile interval of the ROC AUC, resampling whole groups (<paramref name="groupIds"/>, e.g. session ids:
    /// all events with the same id form one group). Sorts once and evaluates each resample as a weighted AUC in
    /// linear time. Resamples without both classes are skipped (see <see cref="ConfidenceInterval.ValidIterations"/>).
    /// </summary>
    public static ConfidenceInterval AucInterval(
        ReadOnlySpan<float> scores, ReadOnlySpan<byte> labels, ReadOnlySpan<long> groupIds,
        int iterations = 1000, ulong seed = 1, double level = 0.95)
    {
        InputChecks.LabelsAndLength(scores.Length, labels, nameof(scores));
        InputChecks.FiniteScores(scores, nameof(scores));
        if (groupIds.Length != scores.Length)
        {
            throw new ArgumentException(
                $"groupIds has {groupIds.Length} entries but scores has {scores.Length}; expected one group id per score.", nameof(groupIds));
        }

        var groupIndex = new Dictionary<long, int>();
        var groupOf = new int[groupIds.Length];
        for (int i = 0; i < groupIds.Length; i++)
        {
            if (!groupIndex.TryGetValue(groupIds[i], out int g))
            {
                g = groupIndex.Count;
                groupIndex[groupIds[i]] = g;
            }

            groupOf[i] = g;
        }

        int groupCount = groupIndex.Count;
        Validate(groupCount, iterations, level);
        var positivesInGroup = new long[groupCount];
        var sizeOfGroup = new long[groupCount];
        for (int i = 0; i < labels.Length; i++)
        {
            positivesInGroup[groupOf[i]] += labels[i];
            sizeOfGroup[groupOf[i]]++;
        }

        double estimate = BinaryMetrics.RocAuc(scores, labels);
        var order = InputChecks.AscendingOrder(scores, out var sorted);
        var multiplicity = new int[groupCount];
        var eventWeight = new int[scores.Length];
        var rng = new SplitMix64(seed);
        var values = new List<double>(iterations);
        for (int it = 0; it < iterations; it++)
        {
            Array.Clear(multiplicity);
            for (int i = 0; i < groupCount; i++)
            {
                multiplicity[rng.NextInt(groupCount)]++;
            }

            double pos = 0, neg = 0;
            for (int g = 0; g < groupCount; g++)
            {
                pos += (double)multiplicity[g] * positivesInGroup[g];
                neg += (double)multiplicity[g] * (sizeOfGroup[g] - positivesInGroup[g]);
            }

            if (pos == 0 || neg == 0)
            {
                continue;
            }

            for (int e = 0; e < eventWeight.Length; e++)
            {
                eventWeight[e] = multiplicity[groupOf[e]];
            }

            values.Add(BinaryMetrics.WeightedAuc(order, sorted, labels, eventWeight, pos, neg));
        }

        return Percentiles(estimate, values, level, iterations);
    }

    /// <summary>
    /// Percentile interval of the paired difference AUC(<paramref name="scoresA"/>) − AUC(<paramref name="scoresB"/>)
    /// of two models scored on the same examples: each resample draws whole groups (<paramref name="groupIds"/>, e.g.
    /// session ids) with replacement and computes both AUCs on that same resample, so what the two models share
    /// (which sessions happen to be in the test set) cancels out of the difference. Resamples without both classes
    /// are skipped (see <see cref="ConfidenceInterval.ValidIterations"/>).
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ, a label is not 0/1, or a score is not finite.</exception>
    public static ConfidenceInterval PairedAucDifference(
        ReadOnlySpan<float> scoresA, ReadOnlySpan<float> scoresB, ReadOnlySpan<byte> labels, ReadOnlySpan<long> groupIds,
        int iterations = 1000, ulong seed = 1, double level = 0.95)
    {
        InputChecks.LabelsAndLength(scoresA.Length, labels, nameof(scoresA));
        InputChecks.FiniteScores(scoresA, nameof(scoresA));
        InputChecks.FiniteScores(scoresB, nameof(scoresB));
        if (scoresB.Length != scoresA.Length || groupIds.Length != scoresA.Length)
        {
            throw new ArgumentException(
                $"scoresA has {scoresA.Length} entries, scoresB {scoresB.Length} and groupIds {groupIds.Length}; expected one of each per example.", nameof(scoresB));
        }

        var groupOf = GroupIndices(groupIds, out int groupCount);
        Validate(groupCount, iterations, level);
        var positivesInGroup = new long[groupCount];
        var sizeOfGroup = new long[groupCount];
        for (int i = 0; i < labels.Length; i++)
        {
            positivesInGroup[groupOf[i]] += labels[i];
            sizeOfGroup[groupOf[i]]++;
        }

        double estimate = BinaryMetrics.RocAuc(scoresA, labels) - BinaryMetrics.RocAuc(scoresB, labels);
        var orderA = InputChecks.AscendingOrder(scoresA, out var sortedA);
        var orderB = InputChecks.AscendingOrder(scoresB, out var sortedB);
        var multiplicity = new int[groupCount];
        var eventWeight = new int[scoresA.Length];
        var rng = new SplitMix64(seed);
        var values = new List<double>(iterations);
        for (int it = 0; it < iterations; it++)
        {
            Array.Clear(multiplicity);
            for (int i = 0; i < groupCount; i++)
            {
                multiplicity[rng.NextInt(groupCount)]++;
            }

            double pos = 0, neg = 0;
            for (int g = 0; g < groupCount; g++)
            {
                pos += (double)multiplicity[g] * positivesInGroup[g];
                neg += (double)multiplicity[g] * (sizeOfGroup[g] - positivesInGroup[g]);
            }

            if (pos == 0 || neg == 0)
            {
                continue;
            }

            for (int e = 0; e < eventWeight.Length; e++)
            {
                eventWeight[e] = multiplicity[groupOf[e]];
            }

            values.Add(BinaryMetrics.WeightedAuc(orderA, sortedA, labels, eventWeight, pos, neg)
                - BinaryMetrics.WeightedAuc(orderB, sortedB, labels, eventWeight, pos, neg));
        }

        return Percentiles(estimate, values, level, iterations);
    }

    /// <summary>Dense group indices (0..groupCount−1, in order of first appearance) of <paramref name="groupIds"/>.</summary>
    private static int[] GroupIndices(ReadOnlySpan<long> groupIds, out int groupCount)
    {
        var groupIndex = new Dictionary<long, int>();
        var groupOf = new int[groupIds.Length];
        for (int i = 0; i < groupIds.Length; i++)
        {
            if (!groupIndex.TryGetValue(groupIds[i], out int g))
            {
                g = groupIndex.Count;
                groupIndex[groupIds[i]] = g;
            }

            groupOf[i] = g;
        }

        groupCount = groupIndex.Count;
        return groupOf;
    }

    private static void Validate(int groupCount, int iterations, double level)
    {
        if (groupCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(groupCount), groupCount, "The bootstrap needs at least one group.");
        }

        if (iterations < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "Expected at least 1 bootstrap iteration.");
        }

        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(level), level, "Expected a confidence level in (0, 1), e.g. 0.95.");
        }
    }

    private static ConfidenceInterval Percentiles(double estimate, List<double> values, double level, int iterations)
    {
        if (values.Count == 0)
        {
            return new ConfidenceInterval(estimate, double.NaN, double.NaN, level, iterations, 0);
        }

        values.Sort();
        double alpha = (1 - level) / 2;
        return new ConfidenceInterval(
            estimate, Quantile(values, alpha), Quantile(values, 1 - alpha), level, iterations, values.Count);
    }

    /// <summary>Linear-interpolation quantile of sorted values.</summary>
    internal static double Quantile(List<double> sorted, double q)
    {
        double position = q * (sorted.Count - 1);
        int lo = (int)Math.Floor(position);
        int hi = Math.Min(lo + 1, sorted.Count - 1);
        double fraction = position - lo;
        return sorted[lo] + (fraction * (sorted[hi] - sorted[lo]));
    }
}
