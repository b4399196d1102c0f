using MicroMoment.Evaluation;

namespace MicroMoment.Tests.Evaluation;

public class BinaryMetricsTests
{
    [Fact]
    public void AucOfTheReferenceExampleIsThreeQuarters()
    {
        Assert.Equal(0.75, BinaryMetrics.RocAuc([0.1f, 0.4f, 0.35f, 0.8f], [0, 0, 1, 1]), 12);
    }

    [Fact]
    public void TiedScoresBetweenClassesCountOneHalf()
    {
        // Pairs (pos, neg): (0.5, 0.5) = ½, (0.5, 0.2) = 1, (0.9, 0.5) = 1, (0.9, 0.2) = 1 → 3.5 / 4.
        Assert.Equal(0.875, BinaryMetrics.RocAuc([0.5f, 0.5f, 0.2f, 0.9f], [1, 0, 0, 1]), 12);
    }

    [Fact]
    public void AllScoresTiedGiveAucOneHalf()
    {
        Assert.Equal(0.5, BinaryMetrics.RocAuc([0.3f, 0.3f, 0.3f, 0.3f, 0.3f], [1, 0, 0, 1, 0]), 12);
    }

    [Fact]
    public void AucIsNaNWhenOneClassIsAbsent()
    {
        Assert.True(double.IsNaN(BinaryMetrics.RocAuc([0.1f, 0.9f], [1, 1])));
        Assert.True(double.IsNaN(BinaryMetrics.RocAuc([0.1f, 0.9f], [0, 0])));
    }

    [Fact]
    public void BoolLabelsGiveTheSameAucAsByteLabels()
    {
        Assert.Equal(0.75, BinaryMetrics.RocAuc([0.1f, 0.4f, 0.35f, 0.8f], [false, false, true, true]), 12);
    }

    [Fact]
    public void BoolLabelsWorkWithEveryByteLabelApi()
    {
        bool[] labels = [true, false];
        Assert.Equal(new Confusion(1, 1, 0, 0), Confusion.At([0.8f, 0.6f], BinaryLabels.AsBytes(labels), 0.5f));
        Assert.Equal([1, 0], BinaryLabels.ToBytes(labels));
    }

    [Fact]
    public void LabelOtherThanZeroOrOneIsRejectedWithItsPosition()
    {
        var ex = Assert.Throws<ArgumentException>(() => BinaryMetrics.RocAuc([0.1f, 0.2f], [0, 2]));
        Assert.Contains("labels[1] is 2", ex.Message);
    }

    [Fact]
    public void MismatchedLengthsAreRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => BinaryMetrics.AveragePrecision([0.1f, 0.2f, 0.3f], [0, 1]));
        Assert.Contains("3 entries", ex.Message);
    }

    [Fact]
    public void NaNScoreIsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => BinaryMetrics.RocAuc([0.1f, float.NaN], [0, 1]));
        Assert.Contains("scores[1]", ex.Message);
    }

    [Fact]
    public void AveragePrecisionMatchesHandComputation()
    {
        // Descending: 1 (P=1, R=½), 0, 1 (P=⅔, R=1), 0 → ½·1 + ½·⅔ = 5/6.
        Assert.Equal(5.0 / 6.0, BinaryMetrics.AveragePrecision([0.9f, 0.8f, 0.7f, 0.6f], [1, 0, 1, 0]), 12);
    }

    [Fact]
    public void AveragePrecisionTreatsTiedScoresAsOneThreshold()
    {
        // Threshold 0.9 takes one positive and one negative together (P=½, R=½), then 0.5 (P=⅔, R=1).
        Assert.Equal(0.25 + (0.5 * 2.0 / 3.0), BinaryMetrics.AveragePrecision([0.9f, 0.9f, 0.5f], [1, 0, 1]), 12);
    }

    [Fact]
    public void AveragePrecisionIsNaNWithoutPositives()
    {
        Assert.True(double.IsNaN(BinaryMetrics.AveragePrecision([0.9f, 0.1f], [0, 0])));
    }

    [Fact]
    public void LogLossMatchesHandComputation()
    {
        double expected = -(Math.Log(0.8) + Math.Log(0.7)) / 2;
        Assert.Equal(expected, BinaryMetrics.LogLoss([0.8f, 0.3f], [1, 0]), 6);
    }

    [Fact]
    public void LogLossClipsConfidentMistakesInsteadOfReturningInfinity()
    {
        double loss = BinaryMetrics.LogLoss([0f, 1f], [1, 0], epsilon: 1e-7);
        Assert.Equal(-Math.Log(1e-7), loss, 6);
    }

    [Fact]
    public void LogLossRejectsValuesOutsideTheUnitInterval()
    {
        var ex = Assert.Throws<ArgumentException>(() => BinaryMetrics.LogLoss([0.5f, 1.5f], [1, 0]));
        Assert.Contains("probabilities[1] is 1.5", ex.Message);
    }

    [Fact]
    public void ExpectedCalibrationErrorMatchesConstructedCase()
    {
        // Bin [0.1, 0.2): mean 0.1, rate ½ → weight ½ · 0.4; bin [0.9, 1]: mean 0.9, rate 1 → weight ½ · 0.1.
        double ece = BinaryMetrics.ExpectedCalibrationError([0.1f, 0.1f, 0.9f, 0.9f], [0, 1, 1, 1], bins: 10);
        Assert.Equal(0.25, ece, 6);
    }

    [Fact]
    public void PerfectlyCalibratedBinsHaveZeroCalibrationError()
    {
        Assert.Equal(0, BinaryMetrics.ExpectedCalibrationError([0.25f, 0.25f, 0.25f, 0.25f], [1, 0, 0, 0]), 6);
    }

    [Fact]
    public void ReliabilityDiagramReportsOnlyOccupiedBinsAndPutsOneInTheLastBin()
    {
        var bins = BinaryMetrics.ReliabilityDiagram([0.05f, 0.15f, 0.17f, 1f], [0, 1, 0, 1], bins: 10);
        Assert.Equal(3, bins.Length);
        Assert.Equal((0.0, 0.1, 0.0, 1L), (bins[0].Lower, bins[0].Upper, bins[0].ObservedRate, bins[0].Count));
        Assert.Equal(0.05, bins[0].MeanPredicted, 6);
        Assert.Equal(2, bins[1].Count);
        Assert.Equal(0.16, bins[1].MeanPredicted, 6);
        Assert.Equal(0.5, bins[1].ObservedRate, 12);
        Assert.Equal(0.9, bins[2].Lower, 12);
        Assert.Equal(1.0, bins[2].MeanPredicted, 12);
    }

    [Fact]
    public void AucByBucketComputesEachBucketSeparately()
    {
        float[] scores = [0.9f, 0.1f, 0.2f, 0.8f, 0.5f, 0.6f];
        byte[] labels = [1, 0, 1, 0, 1, 1];
        int[] keys = [3, 3, 0, 0, 5, 5];
        var result = BinaryMetrics.AucByBucket(scores, labels, keys);
        Assert.Equal([0, 3, 5], result.Select(r => r.Key));
        Assert.Equal(0.0, result[0].Auc, 12);
        Assert.Equal(1.0, result[1].Auc, 12);
        Assert.True(double.IsNaN(result[2].Auc));
        Assert.Equal(2, result[2].Positives);
        Assert.Equal(2, result[2].Count);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 3)]
    [InlineData(6, 4)]
    [InlineData(10, 4)]
    [InlineData(11, 5)]
    [InlineData(500, 5)]
    public void PrefixLengthsMapToTheReportedBuckets(int length, int bucket)
    {
        Assert.Equal(bucket, PrefixLengthBuckets.Of(length));
    }

    [Fact]
    public void PrefixBucketLabelsReadAsRanges()
    {
        Assert.Equal(["1", "2", "3", "4-5", "6-10", "11+"], PrefixLengthBuckets.Labels);
        Assert.Throws<ArgumentOutOfRangeException>(() => PrefixLengthBuckets.Of(0));
    }
}
