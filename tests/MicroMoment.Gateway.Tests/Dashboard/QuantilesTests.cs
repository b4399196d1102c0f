using MicroMoment.Gateway.Dashboard;

namespace MicroMoment.Gateway.Tests.Dashboard;

public sealed class QuantilesTests
{
    private static KeyValuePair<double, long>[] Buckets(params (double Bound, long Count)[] buckets) =>
        [.. buckets.Select(b => KeyValuePair.Create(b.Bound, b.Count))];

    [Fact]
    public void MedianInterpolatesInsideTheBucketThatHoldsIt()
    {
        // 10 observations ≤ 1 ms, 10 more in (1, 2] ms: the median is the top of the first bucket, p75 halfway up the second.
        var histogram = Buckets((0.001, 10), (0.002, 20), (double.PositiveInfinity, 20));
        Assert.Equal(0.001, Quantiles.FromCumulative(histogram, 0.5), 12);
        Assert.Equal(0.0015, Quantiles.FromCumulative(histogram, 0.75), 12);
        Assert.Equal(0.0005, Quantiles.FromCumulative(histogram, 0.25), 12);
    }

    [Fact]
    public void QuantileInTheInfiniteBucketAnswersTheHighestFiniteBound()
    {
        var histogram = Buckets((0.001, 1), (0.01, 2), (double.PositiveInfinity, 100));
        Assert.Equal(0.01, Quantiles.FromCumulative(histogram, 0.99));
    }

    [Fact]
    public void EmptyBucketsAreSkipped()
    {
        var histogram = Buckets((0.001, 0), (0.002, 0), (0.004, 4), (double.PositiveInfinity, 4));
        Assert.Equal(0.003, Quantiles.FromCumulative(histogram, 0.5), 12);
    }

    [Fact]
    public void EmptyHistogramHasNoQuantile()
    {
        Assert.True(double.IsNaN(Quantiles.FromCumulative(Buckets((0.001, 0), (double.PositiveInfinity, 0)), 0.5)));
        Assert.True(double.IsNaN(Quantiles.FromCumulative([], 0.5)));
    }

    [Fact]
    public void BadInputIsRefusedWithTheReason()
    {
        var good = Buckets((0.001, 1), (double.PositiveInfinity, 1));
        Assert.Contains("between 0 and 1", Assert.Throws<ArgumentOutOfRangeException>(() => Quantiles.FromCumulative(good, 1.5)).Message);
        Assert.Contains("must not decrease", Assert.Throws<ArgumentException>(() => Quantiles.FromCumulative(Buckets((0.001, 5), (0.002, 3)), 0.5)).Message);
        Assert.Contains("must ascend", Assert.Throws<ArgumentException>(() => Quantiles.FromCumulative(Buckets((0.002, 1), (0.001, 2)), 0.5)).Message);
    }

    [Fact]
    public void DifferenceKeepsOnlyTheObservationsBetweenTwoSnapshots()
    {
        var before = Buckets((0.001, 100), (0.01, 100), (double.PositiveInfinity, 100));
        var now = Buckets((0.001, 100), (0.01, 110), (double.PositiveInfinity, 110));
        var window = Quantiles.Difference(now, before);
        Assert.Equal([0L, 10L, 10L], window.Select(b => b.Value));
        // All-time the median is under 1 ms; in the window every observation was between 1 and 10 ms.
        Assert.True(Quantiles.FromCumulative(now, 0.5) <= 0.001);
        Assert.InRange(Quantiles.FromCumulative(window, 0.5), 0.001, 0.01);
        Assert.Contains("same buckets", Assert.Throws<ArgumentException>(() => Quantiles.Difference(now, Buckets((0.001, 1)))).Message);
    }
}
