using MicroMoment.Evaluation;

namespace MicroMoment.Training;

/// <summary>Measures one model's calibrated buy probabilities on a set of prefixes. Training-time test
/// evaluation and <c>micromoment eval</c> share it, so both report the same numbers the same way.</summary>
public static class PrefixMetrics
{
    private static readonly (string Name, int Min, int Max)[] LengthBuckets =
        [("1", 1, 1), ("2", 2, 2), ("3", 3, 3), ("4-5", 4, 5), ("6-10", 6, 10), ("11+", 11, int.MaxValue)];

    /// <summary>Prefix-length bucket names in report order.</summary>
    public static IEnumerable<string> BucketNames => LengthBuckets.Select(b => b.Name);

    /// <summary>Computes every buy-head metric.</summary>
    /// <param name="model">Model name.</param>
    /// <param name="probabilities">Calibrated buy probability per prefix.</param>
    /// <param name="labels">Buy label per prefix.</param>
    /// <param name="prefixLengths">Number of events in each prefix.</param>
    /// <param name="hasCart">Whether each prefix already contains an add-to-cart.</param>
    /// <param name="traces">Per-session probabilities after every event, for early detection.</param>
    /// <param name="threshold">The decision threshold (chosen on validation data).</param>
    public static ModelEvaluation Measure(string model, float[] probabilities, byte[] labels, int[] prefixLengths, bool[] hasCart, IReadOnlyList<SessionTrace> traces, float threshold)
    {
        if (labels.Length != probabilities.Length || prefixLengths.Length != probabilities.Length || hasCart.Length != probabilities.Length)
            throw new ArgumentException($"Every per-prefix array must have {probabilities.Length} entries; got labels {labels.Length}, lengths {prefixLengths.Length}, carts {hasCart.Length}.");
        var noCart = Enumerable.Range(0, probabilities.Length).Where(i => !hasCart[i]).ToArray();
        var byLength = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (bucket, min, max) in LengthBuckets)
        {
            var members = Enumerable.Range(0, probabilities.Length).Where(i => prefixLengths[i] >= min && prefixLengths[i] <= max).ToArray();
            byLength[bucket] = BinaryMetrics.RocAuc(Pick(probabilities, members), Pick(labels, members));
        }
        return new ModelEvaluation
        {
            Model = model,
            RocAuc = BinaryMetrics.RocAuc(probabilities, labels),
            PrAuc = BinaryMetrics.AveragePrecision(probabilities, labels),
            LogLoss = BinaryMetrics.LogLoss(probabilities, labels),
            CalibrationError = BinaryMetrics.ExpectedCalibrationError(probabilities, labels),
            Threshold = threshold,
            Confusion = Confusion.At(probabilities, labels, threshold),
            RocAucNoCart = BinaryMetrics.RocAuc(Pick(probabilities, noCart), Pick(labels, noCart)),
            RocAucByPrefixLength = byLength,
            EarlyDetection = EarlyDetection.Evaluate(traces, threshold),
            RocCurve = BinaryMetrics.RocCurve(probabilities, labels),
            PrCurve = BinaryMetrics.PrCurve(probabilities, labels),
            Reliability = BinaryMetrics.ReliabilityDiagram(probabilities, labels),
        };
    }

    private static T[] Pick<T>(T[] values, int[] indices)
    {
        var picked = new T[indices.Length];
        for (var i = 0; i < indices.Length; i++) picked[i] = values[indices[i]];
        return picked;
    }
}
