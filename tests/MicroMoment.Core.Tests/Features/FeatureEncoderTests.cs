using MicroMoment.Events;
using MicroMoment.Features;
using MicroMoment.Numerics;
using static MicroMoment.Tests.Features.TestEvents;

namespace MicroMoment.Tests.Features;

public class FeatureEncoderTests
{
    private static float[][] EncodeAll(params ClickEvent[] events)
    {
        var state = default(SessionFeatureState);
        var rows = new float[events.Length][];
        for (int i = 0; i < events.Length; i++)
        {
            rows[i] = new float[FeatureEncoder.RawDimension];
            FeatureEncoder.Encode(ref state, events[i], rows[i]);
        }
        return rows;
    }

    private static float F(float[] row, string name) => row[FeatureEncoder.IndexOf(name)];

    private static float Log1p(double x) => (float)Math.Log(1 + x);

    [Fact]
    public void RawNamesAreUniqueAndMatchTheDimension()
    {
        Assert.Equal(FeatureEncoder.RawDimension, FeatureEncoder.RawNames.Count);
        Assert.Equal(FeatureEncoder.RawNames.Count, FeatureEncoder.RawNames.Distinct().Count());
        Assert.Throws<ArgumentException>(() => FeatureEncoder.IndexOf("no_such_feature"));
    }

    [Fact]
    public void EncodeRejectsASpanOfTheWrongLength()
    {
        var state = default(SessionFeatureState);
        var error = Assert.Throws<ArgumentException>(() => FeatureEncoder.Encode(ref state, AtSeconds(0), new float[FeatureEncoder.RawDimension - 1]));
        Assert.Contains(FeatureEncoder.RawDimension.ToString(), error.Message);
    }

    [Fact]
    public void EventTypeIsOneHot()
    {
        var rows = EncodeAll(AtSeconds(0), AtSeconds(1, EventType.Cart), AtSeconds(2, EventType.RemoveFromCart), AtSeconds(3, EventType.Purchase), AtSeconds(4, EventType.Other));
        for (int i = 0; i < rows.Length; i++)
        {
            for (int t = 0; t < EventTypes.Count; t++) Assert.Equal(i == t ? 1f : 0f, rows[i][FeatureEncoder.EventTypeOffset + t]);
        }
    }

    [Fact]
    public void GapFeaturesFollowThePastGapsOnly()
    {
        var rows = EncodeAll(AtSeconds(0), AtSeconds(10), AtSeconds(30));
        Assert.Equal(0f, F(rows[0], "log1p_seconds_since_previous"));
        Assert.Equal(0f, F(rows[0], "log1p_mean_gap_seconds"));
        Assert.Equal(Log1p(10), F(rows[1], "log1p_seconds_since_previous"), 5);
        Assert.Equal(Log1p(20), F(rows[2], "log1p_seconds_since_previous"), 5);
        Assert.Equal(Log1p(15), F(rows[2], "log1p_mean_gap_seconds"), 5);
        Assert.Equal(Log1p(20), F(rows[2], "log1p_max_gap_seconds"), 5);
        Assert.Equal(Log1p(30), F(rows[2], "log1p_duration_seconds"), 5);
        Assert.Equal(Log1p(3), F(rows[2], "log1p_position"), 5);
    }

    [Fact]
    public void PriceRatioComparesWithTheMeanOfEarlierPrices()
    {
        var rows = EncodeAll(AtSeconds(0, price: 10f), AtSeconds(1, price: 10f), AtSeconds(2, price: float.NaN), AtSeconds(3, price: 40f));
        Assert.Equal(0f, F(rows[0], "log_price_ratio_to_session_mean"));
        Assert.Equal(1f, F(rows[0], "price_known"));
        Assert.Equal(Log1p(10), F(rows[0], "log1p_price"), 5);
        Assert.Equal(0f, F(rows[1], "log_price_ratio_to_session_mean"), 6);
        Assert.Equal(0f, F(rows[2], "price_known"));
        Assert.Equal(0f, F(rows[2], "log1p_price"));
        Assert.Equal(0f, F(rows[2], "log_price_ratio_to_session_mean"));
        Assert.Equal((float)(Math.Log(41) - Math.Log(11)), F(rows[3], "log_price_ratio_to_session_mean"), 5);
    }

    [Fact]
    public void RevisitAndCategorySwitchAreFlaggedOnTheEventThatCausesThem()
    {
        var rows = EncodeAll(AtSeconds(0, product: 1, category: 10), AtSeconds(1, product: 2, category: 20),
            AtSeconds(2, product: 1, category: 10), AtSeconds(3, product: 1, category: 10));
        Assert.Equal([0f, 0f, 1f, 1f], rows.Select(r => F(r, "product_revisit")));
        Assert.Equal([0f, 0f, Log1p(1), Log1p(2)], rows.Select(r => F(r, "log1p_product_seen_recently")));
        Assert.Equal([0f, 1f, 1f, 0f], rows.Select(r => F(r, "category_switch")));
        Assert.Equal(Log1p(2), F(rows[3], "log1p_distinct_categories"), 2);
        Assert.Equal(Log1p(2), F(rows[3], "log1p_distinct_products"), 2);
        Assert.Equal(0.5f, F(rows[3], "distinct_products_per_event"), 2);
    }

    [Fact]
    public void CountsAndCartFeaturesAccumulateOverThePrefix()
    {
        var rows = EncodeAll(AtSeconds(0), AtSeconds(10), AtSeconds(20, EventType.Cart), AtSeconds(80), AtSeconds(90, EventType.Purchase));
        Assert.Equal(0f, F(rows[1], "has_cart"));
        Assert.Equal(FeatureEncoder.NoCartSeconds, F(rows[1], "log1p_seconds_since_cart"));
        Assert.Equal(0f, F(rows[1], "cart_view_ratio"));

        Assert.Equal(1f, F(rows[2], "has_cart"));
        Assert.Equal(0f, F(rows[2], "log1p_seconds_since_cart"));
        Assert.Equal(0.5f, F(rows[2], "cart_view_ratio"));
        Assert.Equal(Log1p(60), F(rows[3], "log1p_seconds_since_cart"), 5);

        float[] last = rows[4];
        Assert.Equal(Log1p(3), F(last, "log1p_count_view"), 5);
        Assert.Equal(Log1p(1), F(last, "log1p_count_cart"), 5);
        Assert.Equal(0f, F(last, "log1p_count_remove_from_cart"));
        Assert.Equal(Log1p(1), F(last, "log1p_count_purchase"), 5);
        Assert.Equal(0f, F(last, "log1p_count_other"));
        Assert.Equal(1f / 3f, F(last, "cart_view_ratio"), 5);
    }

    [Fact]
    public void CartViewRatioIsCapped()
    {
        var events = Enumerable.Range(0, 30).Select(i => AtSeconds(i, EventType.Cart)).ToArray();
        Assert.Equal(FeatureEncoder.MaxCartViewRatio, F(EncodeAll(events)[^1], "cart_view_ratio"));
    }

    [Fact]
    public void TimeOfDayAndWeekdayAreCyclicInUtc()
    {
        // Monday 06:00 UTC: a quarter of the day, weekday 0.
        var monday = EncodeAll(At(Monday.AddHours(6)))[0];
        Assert.Equal(1f, F(monday, "hour_sin"), 5);
        Assert.Equal(0f, F(monday, "hour_cos"), 5);
        Assert.Equal(0f, F(monday, "weekday_sin"), 5);
        Assert.Equal(1f, F(monday, "weekday_cos"), 5);

        // Wednesday 18:00 UTC: three quarters of the day, weekday 2.
        var wednesday = EncodeAll(At(Monday.AddDays(2).AddHours(18)))[0];
        Assert.Equal(-1f, F(wednesday, "hour_sin"), 5);
        Assert.Equal(0f, F(wednesday, "hour_cos"), 5);
        Assert.Equal((float)Math.Sin(4 * Math.PI / 7), F(wednesday, "weekday_sin"), 5);
        Assert.Equal((float)Math.Cos(4 * Math.PI / 7), F(wednesday, "weekday_cos"), 5);

        // Sunday midnight and the next Monday midnight sit next to each other on the circle.
        var sunday = EncodeAll(At(Monday.AddDays(6)))[0];
        Assert.Equal((float)Math.Sin(12 * Math.PI / 7), F(sunday, "weekday_sin"), 5);
    }

    [Fact]
    public void ContextOneHotsIgnoreCaseAndFallBackToUnknown()
    {
        var known = EncodeAll(AtSeconds(0, context: new EventContext("MOBILE", "ios", "www.Google.com", "Checkout")))[0];
        Assert.Equal(1f, F(known, "device_mobile"));
        Assert.Equal(1f, F(known, "referrer_search"));
        Assert.Equal(1f, F(known, "page_checkout"));

        var unknown = EncodeAll(AtSeconds(0))[0];
        Assert.Equal(1f, F(unknown, "device_unknown"));
        Assert.Equal(1f, F(unknown, "referrer_unknown"));
        Assert.Equal(1f, F(unknown, "page_unknown"));

        var other = EncodeAll(AtSeconds(0, context: new EventContext("smart-tv", null, "partner-blog.example", "wishlist")))[0];
        Assert.Equal(1f, F(other, "device_unknown"));
        Assert.Equal(1f, F(other, "referrer_other"));
        Assert.Equal(1f, F(other, "page_other"));

        foreach (var row in new[] { known, unknown, other })
        {
            Assert.Equal(1f, row.AsSpan(FeatureEncoder.DeviceOffset, 4).ToArray().Sum());
            Assert.Equal(1f, row.AsSpan(FeatureEncoder.ReferrerOffset, 7).ToArray().Sum());
            Assert.Equal(1f, row.AsSpan(FeatureEncoder.PageOffset, 8).ToArray().Sum());
        }
    }

    [Theory]
    [InlineData("Search", 0)]
    [InlineData("m.facebook.com", 1)]
    [InlineData("DIRECT", 2)]
    [InlineData("newsletter", 3)]
    [InlineData("googleads.g.doubleclick.net", 4)]
    [InlineData("cpc", 4)]
    [InlineData("", 6)]
    public void ReferrerClassesAreRecognised(string referrer, int slot) => Assert.Equal(slot, ContextClassifier.Referrer(referrer));

    [Theory]
    [InlineData(" Phone ", 0)]
    [InlineData("Laptop", 1)]
    [InlineData("TABLET", 2)]
    [InlineData("watch", 3)]
    [InlineData(null, 3)]
    public void DeviceClassesAreRecognised(string? device, int slot) => Assert.Equal(slot, ContextClassifier.Device(device));

    [Theory]
    [InlineData("/", 0)]
    [InlineData("PLP", 1)]
    [InlineData("pdp", 2)]
    [InlineData("Basket", 3)]
    [InlineData("payment", 4)]
    [InlineData("results", 5)]
    [InlineData("account", 6)]
    [InlineData("  ", 7)]
    public void PageClassesAreRecognised(string? page, int slot) => Assert.Equal(slot, ContextClassifier.Page(page));

    [Fact]
    public void AnUndefinedEventTypeIsRejectedBeforeTheStateChanges()
    {
        var state = default(SessionFeatureState);
        var bad = AtSeconds(0, (EventType)9);
        var error = Assert.Throws<ArgumentException>(() => FeatureEncoder.Encode(ref state, bad, new float[FeatureEncoder.RawDimension]));
        Assert.Contains("EventType", error.Message);
        Assert.True(state.IsEmpty);
    }

    [Fact]
    public void APrefixEncodesTheSameWhateverFollows()
    {
        var rng = new SplitMix64(7);
        ClickEvent RandomEvent(double seconds) => AtSeconds(seconds, (EventType)rng.NextInt(EventTypes.Count), 1 + rng.NextInt(11), 1 + rng.NextInt(3),
            rng.NextDouble() < 0.2 ? float.NaN : (float)(1 + rng.NextDouble() * 100));
        var prefix = Enumerable.Range(0, 20).Select(i => RandomEvent(i * 7.5)).ToArray();
        var tailA = Enumerable.Range(20, 15).Select(i => RandomEvent(i * 7.5)).ToArray();
        var tailB = Enumerable.Range(20, 25).Select(i => RandomEvent(i * 3.0 + 100)).ToArray();

        var a = EncodeAll([.. prefix, .. tailA]);
        var b = EncodeAll([.. prefix, .. tailB]);
        for (int i = 0; i < prefix.Length; i++)
        {
            var alone = EncodeAll(prefix[..(i + 1)])[^1];
            Assert.Equal(alone, a[i]);
            Assert.Equal(alone, b[i]);
        }
        Assert.NotEqual(a[prefix.Length], b[prefix.Length]);
    }

    [Fact]
    public void EncodingAllocatesNothing()
    {
        var events = Enumerable.Range(0, 64).Select(i => AtSeconds(i * 5, (EventType)(i % 5), 1 + i % 9, 1 + i % 3, i % 4 == 0 ? float.NaN : i,
            new EventContext("Desktop", "web", "www.bing.com/search", "product"))).ToArray();
        var raw = new float[FeatureEncoder.RawDimension];
        var state = default(SessionFeatureState);
        FeatureEncoder.Encode(ref state, events[0], raw);
        state.Reset();

        long allocated = SteadyStateAllocations.Measure(_ =>
        {
            state.Reset();
            foreach (var e in events) FeatureEncoder.Encode(ref state, e, raw);
        }, 10);
        Assert.Equal(0, allocated);
    }
}
