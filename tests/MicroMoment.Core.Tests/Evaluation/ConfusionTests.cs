using MicroMoment.Evaluation;

namespace MicroMoment.Tests.Evaluation;

public class ConfusionTests
{
    [Fact]
    public void ConfusionAtThresholdCountsScoresAtOrAboveAsPositive()
    {
        var c = Confusion.At([0.1f, 0.4f, 0.35f, 0.8f, 0.5f], [0, 0, 1, 1, 0], 0.4f);
        Assert.Equal(new Confusion(TruePositives: 1, FalsePositives: 2, TrueNegatives: 1, FalseNegatives: 1), c);
        Assert.Equal(0.4, c.Accuracy, 12);
        Assert.Equal(1.0 / 3.0, c.Precision, 12);
        Assert.Equal(0.5, c.Recall, 12);
        Assert.Equal(0.4, c.F1, 12);
        Assert.Equal(2.0 / 3.0, c.FalsePositiveRate, 12);
        Assert.Equal(5, c.Total);
    }

    [Fact]
    public void PrecisionIsNaNWhenNothingIsPredictedPositive()
    {
        var c = Confusion.At([0.1f, 0.2f], [1, 0], 0.9f);
        Assert.True(double.IsNaN(c.Precision));
        Assert.Equal(0, c.Recall);
        Assert.Equal(0, c.F1);
    }
}
