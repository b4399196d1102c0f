using MicroMoment.Evaluation;

namespace MicroMoment.Tests.Evaluation;

public class ThresholdSelectorTests
{
    private static readonly float[] s_probabilities = [0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f];
    private static readonly byte[] s_labels = [1, 1, 0, 1, 0, 0];

    [Fact]
    public void MaximizeF1PicksTheThresholdWithTheBestF1()
    {
        // F1 by threshold: 0.9 → ½, 0.8 → ⅘, 0.7 → ⅔, 0.6 → 6/7, 0.5 → ¾, 0.4 → ⅔.
        var choice = ThresholdSelector.MaximizeF1(s_probabilities, s_labels);
        Assert.Equal(0.6f, choice.Threshold);
        Assert.Equal(6.0 / 7.0, choice.F1, 12);
        Assert.Equal(0.75, choice.Precision, 12);
        Assert.Equal(1.0, choice.Recall, 12);
    }

    [Fact]
    public void ChosenThresholdReproducesItsF1InTheConfusionMatrix()
    {
        var choice = ThresholdSelector.MaximizeF1(s_probabilities, s_labels);
        Assert.Equal(choice.F1, Confusion.At(s_probabilities, s_labels, choice.Threshold).F1, 12);
    }

    [Fact]
    public void ForPrecisionReturnsTheLowestThresholdMeetingTheTarget()
    {
        var perfect = ThresholdSelector.ForPrecision(s_probabilities, s_labels, 1.0);
        Assert.NotNull(perfect);
        Assert.Equal(0.8f, perfect.Value.Threshold);
        Assert.Equal(2.0 / 3.0, perfect.Value.Recall, 12);

        Assert.Equal(0.8f, ThresholdSelector.ForPrecision(s_probabilities, s_labels, 0.76)!.Value.Threshold);
        Assert.Equal(0.6f, ThresholdSelector.ForPrecision(s_probabilities, s_labels, 0.75)!.Value.Threshold);
    }

    [Fact]
    public void ForPrecisionIsNullWhenNoThresholdReachesTheTarget()
    {
        Assert.Null(ThresholdSelector.ForPrecision([0.9f, 0.1f], [0, 1], 0.9));
    }

    [Fact]
    public void SelectionWithoutPositivesIsRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => ThresholdSelector.MaximizeF1([0.9f, 0.1f], [0, 0]));
        Assert.Contains("positive", ex.Message);
    }
}
