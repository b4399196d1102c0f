using MicroMoment.Clustering;
using MicroMoment.Features;
using MicroMoment.Numerics;

namespace MicroMoment.Tests.Clustering;

public class ClusterNamingTests
{
    private static float Log1p(double x) => (float)Math.Log(1 + x);

    /// <summary>An aggregate row in readable units.</summary>
    private static float[] Profile(double views, double carts, double removes, double distinct, double categories, double durationSeconds,
        double meanGapSeconds, double revisitRatio, double cartViewRatio, double switchRate, double price, double events)
    {
        var row = new float[SessionAggregates.Dimension];
        row[SessionAggregates.LogViews] = Log1p(views);
        row[SessionAggregates.LogCarts] = Log1p(carts);
        row[SessionAggregates.LogRemoves] = Log1p(removes);
        row[SessionAggregates.LogDistinctProducts] = Log1p(distinct);
        row[SessionAggregates.LogDistinctCategories] = Log1p(categories);
        row[SessionAggregates.LogDuration] = Log1p(durationSeconds);
        row[SessionAggregates.LogMeanGap] = Log1p(meanGapSeconds);
        row[SessionAggregates.RevisitRatio] = (float)revisitRatio;
        row[SessionAggregates.CartViewRatio] = (float)cartViewRatio;
        row[SessionAggregates.CategorySwitchRate] = (float)switchRate;
        row[SessionAggregates.MeanLogPrice] = Log1p(price);
        row[SessionAggregates.LogEvents] = Log1p(events);
        return row;
    }

    [Fact]
    public void FourArchetypalProfilesGetTheirBehavioralNames()
    {
        float[] profiles =
        [
            // 0: a few views, nothing carted, rarely buys.
            .. Profile(3, 0, 0, 2, 1, 60, 30, 0.1, 0, 0.2, 20, 3),
            // 1: long sessions over many products, revisiting, rarely buys.
            .. Profile(20, 0.5, 0.1, 12, 3, 900, 45, 0.4, 0.03, 0.3, 55, 21),
            // 2: carts a lot, buys often, takes its time.
            .. Profile(10, 3, 0.3, 5, 2, 600, 60, 0.3, 0.3, 0.2, 55, 14),
            // 3: short sessions that go straight to the purchase.
            .. Profile(2, 1, 0, 1.5, 1, 90, 20, 0.2, 0.5, 0.05, 55, 4),
        ];
        ClusterOutcome[] outcomes = [new(1000, 0.01, 3), new(1000, 0.05, 21), new(1000, 0.6, 14), new(1000, 0.5, 4)];
        string[] names = ClusterNaming.Name(profiles, outcomes);
        Assert.Equal(["passive browsers", "comparison seekers", "purchase-intent", "impulsive buyers"], names);
    }

    [Fact]
    public void NamesAreUniqueAndDescriptiveForEveryK()
    {
        var rng = new SplitMix64(17);
        for (int k = 1; k <= 20; k++)
        {
            var profiles = new float[k * SessionAggregates.Dimension];
            for (int i = 0; i < profiles.Length; i++) profiles[i] = (float)(rng.NextDouble() * 5);
            var outcomes = Enumerable.Range(0, k).Select(_ => new ClusterOutcome(1 + rng.NextInt(1000), rng.NextDouble(), 1 + rng.NextDouble() * 30)).ToArray();
            string[] names = ClusterNaming.Name(profiles, outcomes);
            Assert.Equal(k, names.Length);
            Assert.Equal(k, names.Distinct().Count());
            foreach (string name in names)
            {
                Assert.False(string.IsNullOrWhiteSpace(name));
                Assert.DoesNotMatch(@"(?i)cluster\s*\d", name);
                Assert.Contains(ClusterNaming.Archetypes, a => name.StartsWith(a, StringComparison.Ordinal));
            }
            if (k <= ClusterNaming.Archetypes.Count) Assert.All(names, n => Assert.Contains(n, ClusterNaming.Archetypes));
        }
    }

    [Fact]
    public void NamingIsDeterministic()
    {
        float[] profiles = [.. Profile(3, 0, 0, 2, 1, 60, 30, 0.1, 0, 0.2, 20, 3), .. Profile(10, 3, 0.3, 5, 2, 600, 60, 0.3, 0.3, 0.2, 55, 14)];
        ClusterOutcome[] outcomes = [new(10, 0.0, 3), new(10, 0.7, 14)];
        Assert.Equal(ClusterNaming.Name(profiles, outcomes), ClusterNaming.Name(profiles, outcomes));
        Assert.Equal(["passive browsers", "purchase-intent"], ClusterNaming.Name(profiles, outcomes));
    }

    [Fact]
    public void MismatchedOrInvalidInputIsRejected()
    {
        var profile = new float[SessionAggregates.Dimension];
        Assert.Throws<ArgumentException>(() => ClusterNaming.Name(profile, [new(1, 0.5, 2), new(1, 0.5, 2)]));
        Assert.Throws<ArgumentException>(() => ClusterNaming.Name(profile, [new(1, 1.5, 2)]));
        Assert.Throws<ArgumentException>(() => ClusterNaming.Name(profile, [new(-1, 0.5, 2)]));
        Assert.Throws<ArgumentException>(() => ClusterNaming.Name(ReadOnlySpan<float>.Empty, Array.Empty<ClusterOutcome>()));
        profile[0] = float.NaN;
        Assert.Throws<ArgumentException>(() => ClusterNaming.Name(profile, [new(1, 0.5, 2)]));
    }
}
