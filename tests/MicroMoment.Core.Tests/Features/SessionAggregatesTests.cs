using MicroMoment.Events;
using MicroMoment.Features;
using static MicroMoment.Tests.Features.TestEvents;

namespace MicroMoment.Tests.Features;

public class SessionAggregatesTests
{
    private static float Log1p(double x) => (float)Math.Log(1 + x);

    [Fact]
    public void AggregatesDescribeTheSessionSoFar()
    {
        var state = default(SessionFeatureState);
        foreach (var e in new[]
        {
            AtSeconds(0, product: 1, category: 10, price: 9f),
            AtSeconds(20, product: 2, category: 20, price: 19f),
            AtSeconds(40, EventType.Cart, product: 1, category: 10, price: 9f),
            AtSeconds(100, EventType.RemoveFromCart, product: 1, category: 10, price: 9f),
        })
        {
            state.Observe(e);
        }
        var aggregate = new float[SessionAggregates.Dimension];
        SessionAggregates.Compute(state, aggregate);

        Assert.Equal(Log1p(2), aggregate[SessionAggregates.LogViews], 5);
        Assert.Equal(Log1p(1), aggregate[SessionAggregates.LogCarts], 5);
        Assert.Equal(Log1p(1), aggregate[SessionAggregates.LogRemoves], 5);
        Assert.Equal(Log1p(2), aggregate[SessionAggregates.LogDistinctProducts], 2);
        Assert.Equal(Log1p(2), aggregate[SessionAggregates.LogDistinctCategories], 2);
        Assert.Equal(Log1p(100), aggregate[SessionAggregates.LogDuration], 5);
        Assert.Equal(Log1p(100 / 3.0), aggregate[SessionAggregates.LogMeanGap], 5);
        Assert.Equal(2f / 4f, aggregate[SessionAggregates.RevisitRatio], 5);
        Assert.Equal(0.5f, aggregate[SessionAggregates.CartViewRatio], 5);
        Assert.Equal(2f / 3f, aggregate[SessionAggregates.CategorySwitchRate], 5);
        Assert.Equal((float)((3 * Math.Log(10) + Math.Log(20)) / 4), aggregate[SessionAggregates.MeanLogPrice], 5);
        Assert.Equal(Log1p(4), aggregate[SessionAggregates.LogEvents], 5);
    }

    [Fact]
    public void AggregatesCarryNoPurchaseInformation()
    {
        Assert.Equal(SessionAggregates.Dimension, SessionAggregates.Names.Count);
        Assert.DoesNotContain(SessionAggregates.Names, n => n.Contains("purchase", StringComparison.OrdinalIgnoreCase));

        // A purchase and an "other" event at the same moment leave identical aggregates.
        var bought = default(SessionFeatureState);
        var browsed = default(SessionFeatureState);
        bought.Observe(AtSeconds(0, product: 1, category: 1, price: 5f));
        browsed.Observe(AtSeconds(0, product: 1, category: 1, price: 5f));
        bought.Observe(AtSeconds(30, EventType.Purchase));
        browsed.Observe(AtSeconds(30, EventType.Other));
        var a = new float[SessionAggregates.Dimension];
        var b = new float[SessionAggregates.Dimension];
        SessionAggregates.Compute(bought, a);
        SessionAggregates.Compute(browsed, b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void AnEmptyStateHasAllZeroAggregates()
    {
        var aggregate = new float[SessionAggregates.Dimension];
        aggregate.AsSpan().Fill(7f);
        SessionAggregates.Compute(default, aggregate);
        Assert.All(aggregate, v => Assert.Equal(0f, v));
        Assert.Throws<ArgumentException>(() => SessionAggregates.Compute(default, new float[SessionAggregates.Dimension + 1]));
    }
}
