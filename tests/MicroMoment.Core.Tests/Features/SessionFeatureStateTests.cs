using System.Runtime.CompilerServices;
using MicroMoment.Events;
using MicroMoment.Features;
using static MicroMoment.Tests.Features.TestEvents;

namespace MicroMoment.Tests.Features;

public class SessionFeatureStateTests
{
    private static int UnmanagedSize<T>() where T : unmanaged => Unsafe.SizeOf<T>();

    private static SessionFeatureState Observe(params ClickEvent[] events)
    {
        var state = default(SessionFeatureState);
        foreach (var e in events) state.Observe(e);
        return state;
    }

    [Fact]
    public void StateIsUnmanagedAndStaysWithinItsDocumentedSize()
    {
        Assert.False(RuntimeHelpers.IsReferenceOrContainsReferences<SessionFeatureState>());
        int size = UnmanagedSize<SessionFeatureState>();
        Assert.Equal(size, SessionFeatureState.SizeInBytes);
        Assert.True(size <= SessionFeatureState.MaxSizeInBytes, $"SessionFeatureState is {size} bytes; documented bound is {SessionFeatureState.MaxSizeInBytes}.");
    }

    [Fact]
    public void GapsDurationAndDwellFollowTheTimestamps()
    {
        var state = Observe(AtSeconds(0), AtSeconds(10), AtSeconds(40), AtSeconds(45));
        Assert.Equal(4, state.EventCount);
        Assert.Equal(3, state.GapCount);
        Assert.Equal(45, state.DurationSeconds, 9);
        Assert.Equal(15, state.MeanGapSeconds, 9);
        Assert.Equal(30, state.MaxGapSeconds, 9);
        Assert.Equal(Monday.Ticks, state.FirstTimestampTicks);
        Assert.Equal(Monday.AddSeconds(45).Ticks, state.LastTimestampTicks);
    }

    [Fact]
    public void LateEventCountsAZeroGapAndDoesNotMoveTimeBack()
    {
        var state = Observe(AtSeconds(0), AtSeconds(100), AtSeconds(50));
        Assert.Equal(100, state.DurationSeconds, 9);
        Assert.Equal(50, state.MeanGapSeconds, 9);
        Assert.Equal(Monday.AddSeconds(100).Ticks, state.LastTimestampTicks);
    }

    [Fact]
    public void CountsEveryEventType()
    {
        var state = Observe(AtSeconds(0), AtSeconds(1), AtSeconds(2, EventType.Cart), AtSeconds(3, EventType.RemoveFromCart),
            AtSeconds(4, EventType.Purchase), AtSeconds(5, EventType.Other));
        Assert.Equal(2, state.Count(EventType.View));
        Assert.Equal(1, state.Count(EventType.Cart));
        Assert.Equal(1, state.Count(EventType.RemoveFromCart));
        Assert.Equal(1, state.Count(EventType.Purchase));
        Assert.Equal(1, state.Count(EventType.Other));
        Assert.True(state.HasCart);
        Assert.Equal(Monday.AddSeconds(2).Ticks, state.LastCartTicks);
        Assert.Equal(8, state.SecondsSinceLastCart(Monday.AddSeconds(10).Ticks), 9);
    }

    [Fact]
    public void RevisitIsDetectedOnlyWithinTheRecentWindow()
    {
        var inside = default(SessionFeatureState);
        inside.Observe(AtSeconds(0, product: 1));
        for (int i = 0; i < SessionFeatureState.RecentCapacity - 1; i++) inside.Observe(AtSeconds(i + 1, product: 100 + i));
        inside.Observe(AtSeconds(100, product: 1));
        Assert.Equal(1, inside.ProductRevisits);

        var outside = default(SessionFeatureState);
        outside.Observe(AtSeconds(0, product: 1));
        for (int i = 0; i < SessionFeatureState.RecentCapacity; i++) outside.Observe(AtSeconds(i + 1, product: 100 + i));
        Assert.Equal(0, outside.RecentOccurrences(1));
        outside.Observe(AtSeconds(100, product: 1));
        Assert.Equal(0, outside.ProductRevisits);
    }

    [Fact]
    public void CategorySwitchesCountOnlyChangesBetweenKnownCategories()
    {
        var state = Observe(AtSeconds(0, product: 1, category: 10), AtSeconds(1, product: 2, category: 10), AtSeconds(2, product: 3),
            AtSeconds(3, product: 4, category: 20), AtSeconds(4, product: 5, category: 10));
        Assert.Equal(2, state.CategorySwitches);
        Assert.Equal(10, state.LastCategoryId);
        Assert.Equal(5, state.LastProductId);
    }

    [Fact]
    public void MostRevisitedProductAndCategoryPreferFrequencyThenRecency()
    {
        var state = Observe(AtSeconds(0, product: 7, category: 1), AtSeconds(1, product: 8, category: 2), AtSeconds(2, product: 7, category: 1),
            AtSeconds(3, product: 9, category: 2), AtSeconds(4, product: 8, category: 2));
        // 7 and 8 are both seen twice; 8 was seen last. Category 2 is seen three times.
        Assert.Equal(8, state.MostRevisitedProduct(out int productCount));
        Assert.Equal(2, productCount);
        Assert.Equal(2, state.MostRevisitedCategory(out int categoryCount));
        Assert.Equal(3, categoryCount);

        var empty = default(SessionFeatureState);
        Assert.Equal(0, empty.MostRevisitedProduct(out int none));
        Assert.Equal(0, none);
    }

    [Fact]
    public void DistinctProductsAreEstimatedByLinearCountingAndIgnoreRepeats()
    {
        var state = default(SessionFeatureState);
        for (int i = 0; i < 60; i++) state.Observe(AtSeconds(i, product: 5_000_000 + i, category: 1 + i % 4));
        double afterFirstPass = state.DistinctProducts;
        for (int i = 0; i < 60; i++) state.Observe(AtSeconds(100 + i, product: 5_000_000 + i, category: 1 + i % 4));
        Assert.Equal(afterFirstPass, state.DistinctProducts);
        Assert.InRange(afterFirstPass, 54, 66);
        Assert.InRange(state.DistinctCategories, 3.9, 4.2);
        Assert.Equal(0, default(SessionFeatureState).DistinctProducts);
    }

    [Fact]
    public void PriceStatisticsUseOnlyKnownPositivePrices()
    {
        var state = Observe(AtSeconds(0, price: 10f), AtSeconds(1, price: float.NaN), AtSeconds(2, price: 30f), AtSeconds(3, price: 0f));
        Assert.Equal(2, state.PricedCount);
        Assert.Equal(20, state.MeanPrice, 9);
        Assert.Equal((Math.Log(11) + Math.Log(31)) / 2, state.MeanLogPrice, 9);
        Assert.Equal(10f, state.MinPrice);
        Assert.Equal(30f, state.MaxPrice);
        Assert.True(double.IsNaN(default(SessionFeatureState).MeanPrice));
    }

    [Fact]
    public void ResetForgetsEverything()
    {
        var state = Observe(AtSeconds(0, EventType.Cart, product: 3, category: 4, price: 5f), AtSeconds(9, product: 3));
        state.Reset();
        Assert.True(state.IsEmpty);
        Assert.Equal(0, state.ProductRevisits);
        Assert.Equal(0, state.DistinctProducts);
        Assert.False(state.HasCart);
        Assert.Equal(0, state.RecentOccurrences(3));
    }

    [Fact]
    public void BytesRoundTripToAnEquivalentState()
    {
        var state = Observe(AtSeconds(0, product: 1, category: 2, price: 3f), AtSeconds(5, EventType.Cart, product: 1, category: 2, price: 3f),
            AtSeconds(9, product: 4, category: 5));
        var bytes = new byte[SessionFeatureState.SizeInBytes];
        state.WriteTo(bytes);
        var restored = SessionFeatureState.ReadFrom(bytes);

        var next = AtSeconds(20, product: 1, category: 2, price: 6f);
        Span<float> a = stackalloc float[FeatureEncoder.RawDimension];
        Span<float> b = stackalloc float[FeatureEncoder.RawDimension];
        FeatureEncoder.Encode(ref state, next, a);
        FeatureEncoder.Encode(ref restored, next, b);
        Assert.True(a.SequenceEqual(b));
    }

    [Fact]
    public void ReadFromRejectsWrongLengthsAndForeignLayouts()
    {
        var tooShort = Assert.Throws<ArgumentException>(() => SessionFeatureState.ReadFrom(new byte[SessionFeatureState.SizeInBytes - 1]));
        Assert.Contains("bytes", tooShort.Message);

        var bytes = new byte[SessionFeatureState.SizeInBytes];
        Observe(AtSeconds(0, product: 1)).WriteTo(bytes);
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), SessionFeatureState.LayoutVersion + 1);
        var foreign = Assert.Throws<ArgumentException>(() => SessionFeatureState.ReadFrom(bytes));
        Assert.Contains("layout version", foreign.Message);
    }

    [Fact]
    public void LocalTimestampIsRejectedWithAClearMessage()
    {
        var state = default(SessionFeatureState);
        var local = TestEvents.At(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Local));
        var error = Assert.Throws<ArgumentException>(() => state.Observe(local));
        Assert.Contains("UTC", error.Message);
    }
}
