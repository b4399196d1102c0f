using MicroMoment.Silo.Triggers;

namespace MicroMoment.Silo.Tests.Triggers;

public class ExperimentStatisticsTests
{
    [Fact]
    public void WilsonIntervalOfTenInAHundredMatchesTheHandComputedBounds()
    {
        // p = 0.1, z² = 3.8415: centre = (0.1 + 0.019207) / 1.038415 = 0.114803, half = 1.887447 * 0.031589 = 0.059568.
        var (low, high) = ExperimentStatistics.Wilson(10, 100);
        Assert.Equal(0.0552291, low, 1e-6);
        Assert.Equal(0.1743657, high, 1e-6);
        Assert.Equal((0.0, 1.0), ExperimentStatistics.Wilson(0, 0));
    }

    [Fact]
    public void MsprtLiftPValueAndConfidenceSequenceMatchTheHandComputedValues()
    {
        // 300/1000 vs 200/1000, τ² = 1e-4: θ = 0.1, V = 0.00037, Λ = √(0.00037/0.00047)·exp(1e-6/(2·0.00037·0.00047)) = 15.731 → p = 0.06357;
        // half-width = √(2·0.00037·0.00047/1e-4 · (ln 20 + ½ ln(0.00047/0.00037))) = 0.10409.
        var (diff, p, low, high) = ExperimentStatistics.Msprt(300, 1000, 200, 1000, 1e-4, 0.05);
        Assert.Equal(0.1, diff, 1e-12);
        Assert.Equal(0.0635708, p, 1e-6);
        Assert.Equal(-0.0040922, low, 1e-6);
        Assert.Equal(0.2040922, high, 1e-6);
        Assert.Equal(1, ExperimentStatistics.Msprt(0, 10, 0, 10).PValue);
    }

    [Fact]
    public void MsprtConfidenceSequenceOfASmallSampleIsClippedToThePossibleRangeOfARateDifference()
    {
        // 60/100 vs 10/100: θ̂ = 0.5, V = 0.0033, half-width = √(2·V·(V+τ²)/τ² · (ln 20 + ½ ln((V+τ²)/V))) = 0.8219, so the
        // sequence is −0.3219 .. 1.3219 unclipped; a difference of two rates lies in [−1, 1].
        var (diff, _, low, high) = ExperimentStatistics.Msprt(60, 100, 10, 100, 1e-4, 0.05);
        Assert.Equal(0.5, diff, 12);
        Assert.Equal(1, high);
        Assert.Equal(-0.3219439, low, 1e-6); // the end inside the range stays as computed
        Assert.Equal(0.5 - HalfWidth(0.6, 100, 0.1, 100), low, 9);

        // Both ends clip for a small sample (1/4 vs 0/3: half-width 11.49, the kind of interval that read "−11.2 – 11.7").
        var small = ExperimentStatistics.Msprt(1, 4, 0, 3, 1e-4, 0.05);
        Assert.Equal((-1.0, 1.0), (small.Low, small.High));
        Assert.Equal(11.488088, HalfWidth(0.25, 4, 0, 3), 1e-6);
    }

    private static double HalfWidth(double pA, long nA, double pB, long nB)
    {
        double v = pA * (1 - pA) / nA + pB * (1 - pB) / nB, tau2 = 1e-4;
        return Math.Sqrt(2 * v * (v + tau2) / tau2 * (Math.Log(20) + 0.5 * Math.Log((v + tau2) / v)));
    }
}
