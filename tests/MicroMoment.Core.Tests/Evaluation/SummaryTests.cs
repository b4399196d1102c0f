using MicroMoment.Evaluation;

namespace MicroMoment.Tests.Evaluation;

public class SummaryTests
{
    [Fact]
    public void SummaryReportsMeanSampleDeviationAndRange()
    {
        var s = Summary.Of([1.0, 2.0, 3.0, 4.0]);
        Assert.Equal(2.5, s.Mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3.0), s.StandardDeviation, 12);
        Assert.Equal((1.0, 4.0, 4), (s.Min, s.Max, s.Count));
    }

    [Fact]
    public void SingleValueHasNoStandardDeviation()
    {
        var s = Summary.Of([0.7]);
        Assert.Equal(0.7, s.Mean);
        Assert.True(double.IsNaN(s.StandardDeviation));
    }

    [Fact]
    public void EmptyInputGivesCountZeroAndNaNs()
    {
        var s = Summary.Of([]);
        Assert.Equal(0, s.Count);
        Assert.True(double.IsNaN(s.Mean));
    }

    [Fact]
    public void DeviationStaysAccurateForValuesFarFromZero()
    {
        var s = Summary.Of([1e9 + 1, 1e9 + 2, 1e9 + 3]);
        Assert.Equal(1.0, s.StandardDeviation, 9);
    }

    [Fact]
    public void NaNValueIsRejected()
    {
        Assert.Throws<ArgumentException>(() => Summary.Of([1.0, double.NaN]));
    }
}
