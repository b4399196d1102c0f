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
}
