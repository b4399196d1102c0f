using MicroMoment.Events;

namespace MicroMoment.Features;

/// <summary>
/// Encodes one event into the raw (unscaled) per-event feature vector of the session prefix that ends at it.
/// The same code runs in training (every prefix of every session) and in serving (one event at a time), so
/// it reads only the running <see cref="SessionFeatureState"/> and the event itself: no look-ahead, no
/// allocation. Every feature is documented in docs/features.md.
/// </summary>
public static class FeatureEncoder
{
    /// <summary>The stand-in for "seconds since last cart" when the session has no cart yet: log1p(7 days).</summary>
    public static readonly float NoCartSeconds = MathF.Log(1f + 7f * 24f * 3600f);

    /// <summary>The cap on the cart/view ratio, so a few cart-only sessions do not stretch its scale.</summary>
    public const float MaxCartViewRatio = 10f;

    /// <summary>Index of the first event-type one-hot slot (view, cart, remove, purchase, other).</summary>
    public const int EventTypeOffset = 0;
    /// <summary>Index of log1p seconds since the previous event.</summary>
    public const int SecondsSincePrevious = 5;
    /// <summary>Index of log1p mean gap so far.</summary>
    public const int MeanGap = 6;
    /// <summary>Index of log1p max gap so far.</summary>
    public const int MaxGap = 7;
    /// <summary>Index of log1p price.</summary>
    public const int LogPrice = 8;
    /// <summary>Index of the price-known flag.</summary>
    public const int PriceKnown = 9;
    /// <summary>Index of log price ratio to the mean of earlier prices.</summary>
    public const int PriceRatio = 10;
    /// <summary>Index of the product-revisit flag.</summary>
    public const int ProductRevisit = 11;
    /// <summary>Index of log1p earlier sightings of this product in the recent window.</summary>
    public const int ProductSeen = 12;
    /// <summary>Index of the category-switch flag.</summary>
    public const int CategorySwitch = 13;
    /// <summary>Index of the first log1p count slot (views, carts, removes, purchases, others).</summary>
    public const int CountOffset = 14;
    /// <summary>Index of log1p distinct products.</summary>
    public const int DistinctProducts = 19;
    /// <summary>Index of log1p distinct categories.</summary>
    public const int DistinctCategories = 20;
    /// <summary>Index of distinct products per event.</summary>
    public const int DistinctRatio = 21;
    /// <summary>Index of carts per view.</summary>
    public const int CartViewRatio = 22;
    /// <summary>Index of the has-cart flag.</summary>
    public const int HasCart = 23;
    /// <summary>Index of log1p seconds since the last cart.</summary>
    public const int SecondsSinceCart = 24;
    /// <summary>Index of log1p session duration so far.</summary>
    public const int Duration = 25;
    /// <summary>Index of log1p position (1-based) of the event in the session.</summary>
    public const int Position = 26;
    /// <summary>Index of the hour-of-day sine.</summary>
    public const int HourSin = 27;
    /// <summary>Index of the hour-of-day cosine.</summary>
    public const int HourCos = 28;
    /// <summary>Index of the weekday sine.</summary>
    public const int WeekdaySin = 29;
    /// <summary>Index of the weekday cosine.</summary>
    public const int WeekdayCos = 30;
    /// <summary>Index of the first device slot (mobile, desktop, tablet, unknown).</summary>
    public const int DeviceOffset = 31;
    /// <summary>Index of the first referrer slot (search, social, direct, email, ads, other, unknown).</summary>
    public const int ReferrerOffset = 35;
    /// <summary>Index of the first page slot (home, category, product, cart, checkout, search, other, unknown).</summary>
    public const int PageOffset = 42;

    /// <summary>The length of the raw feature vector.</summary>
    public const int RawDimension = 50;

    private static readonly string[] _names = BuildNames();

    // Weekday angles 2π·w/7 for w = 0 (Monday) .. 6, precomputed: the weekday takes only seven values.
    private static readonly float[] _weekdaySin = [.. Enumerable.Range(0, 7).Select(w => (float)Math.Sin(2 * Math.PI * w / 7))];
    private static readonly float[] _weekdayCos = [.. Enumerable.Range(0, 7).Select(w => (float)Math.Cos(2 * Math.PI * w / 7))];

    /// <summary>The raw feature names, in vector order.</summary>
    public static IReadOnlyList<string> RawNames { get; } = Array.AsReadOnly(_names);

    /// <summary>The index of a raw feature by name.</summary>
    /// <exception cref="ArgumentException">No raw feature has that name.</exception>
    public static int IndexOf(string name)
    {
        int i = Array.IndexOf(_names, name);
        if (i < 0) throw new ArgumentException($"'{name}' is not a raw feature name; see FeatureEncoder.RawNames.", nameof(name));
        return i;
    }

    /// <summary>
    /// Adds <paramref name="e"/> to <paramref name="state"/> and writes the raw features of the prefix ending at
    /// <paramref name="e"/> into <paramref name="raw"/> (exactly <see cref="RawDimension"/> floats). Allocates nothing.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="raw"/> has the wrong length, or the event is invalid (see <see cref="SessionFeatureState.Observe"/>).</exception>
    public static void Encode(ref SessionFeatureState state, in ClickEvent e, Span<float> raw)
    {
        if (raw.Length != RawDimension)
            throw new ArgumentException($"The raw feature span has {raw.Length} floats; expected FeatureEncoder.RawDimension = {RawDimension}.", nameof(raw));

        // Read what depends on the state before this event.
        long ticks = e.Timestamp.Ticks;
        double secondsSincePrevious = state.GapSeconds(ticks);
        int seenBefore = state.RecentOccurrences(e.ProductId);
        bool categorySwitch = e.CategoryId != 0 && state.LastCategoryId != 0 && state.LastCategoryId != e.CategoryId;
        bool hadEarlierPrice = state.PricedCount > 0;
        double earlierMeanLogPrice = state.MeanLogPrice;

        state.Observe(e);

        raw.Clear();
        raw[EventTypeOffset + (int)e.Type] = 1f;
        raw[SecondsSincePrevious] = Log1p(secondsSincePrevious);
        raw[MeanGap] = Log1p(state.MeanGapSeconds);
        raw[MaxGap] = Log1p(state.MaxGapSeconds);

        if (e.HasPrice)
        {
            double logPrice = Math.Log(1.0 + e.Price);
            raw[LogPrice] = (float)logPrice;
            raw[PriceKnown] = 1f;
            raw[PriceRatio] = hadEarlierPrice ? (float)(logPrice - earlierMeanLogPrice) : 0f;
        }

        raw[ProductRevisit] = seenBefore > 0 ? 1f : 0f;
        raw[ProductSeen] = Log1p(seenBefore);
        raw[CategorySwitch] = categorySwitch ? 1f : 0f;

        int events = state.EventCount;
        for (int t = 0; t < EventTypes.Count; t++) raw[CountOffset + t] = Log1p(state.Count((EventType)t));

        double distinctProducts = state.DistinctProducts;
        raw[DistinctProducts] = Log1p(distinctProducts);
        raw[DistinctCategories] = Log1p(state.DistinctCategories);
        raw[DistinctRatio] = (float)Math.Min(1.0, distinctProducts / events);
        raw[CartViewRatio] = CartPerView(state);
        raw[HasCart] = state.HasCart ? 1f : 0f;
        raw[SecondsSinceCart] = state.HasCart ? Log1p(state.SecondsSinceLastCart(ticks)) : NoCartSeconds;
        raw[Duration] = Log1p(state.DurationSeconds);
        raw[Position] = Log1p(events);

        // Cyclic time of day and day of week, UTC; DateTime ticks start on a Monday (0001-01-01).
        long dayTicks = ticks % TimeSpan.TicksPerDay;
        (double hourSin, double hourCos) = Math.SinCos(2 * Math.PI * dayTicks / TimeSpan.TicksPerDay);
        raw[HourSin] = (float)hourSin;
        raw[HourCos] = (float)hourCos;
        int weekday = (int)(ticks / TimeSpan.TicksPerDay % 7);
        raw[WeekdaySin] = _weekdaySin[weekday];
        raw[WeekdayCos] = _weekdayCos[weekday];

        raw[DeviceOffset + ContextClassifier.Device(e.Context.Device)] = 1f;
        raw[ReferrerOffset + ContextClassifier.Referrer(e.Context.Referrer)] = 1f;
        raw[PageOffset + ContextClassifier.Page(e.Context.Page)] = 1f;
    }

    /// <summary>Carts per view so far (carts / max(views, 1)), capped at <see cref="MaxCartViewRatio"/>.</summary>
    public static float CartPerView(in SessionFeatureState state) =>
        MathF.Min(MaxCartViewRatio, state.Count(EventType.Cart) / (float)Math.Max(1, state.Count(EventType.View)));

    private static float Log1p(double x) => (float)Math.Log(1.0 + x);

    private static string[] BuildNames()
    {
        var names = new string[RawDimension];
        string[] types = ["view", "cart", "remove_from_cart", "purchase", "other"];
        for (int t = 0; t < types.Length; t++)
        {
            names[EventTypeOffset + t] = "type_" + types[t];
            names[CountOffset + t] = "log1p_count_" + types[t];
        }
        names[SecondsSincePrevious] = "log1p_seconds_since_previous";
        names[MeanGap] = "log1p_mean_gap_seconds";
        names[MaxGap] = "log1p_max_gap_seconds";
        names[LogPrice] = "log1p_price";
        names[PriceKnown] = "price_known";
        names[PriceRatio] = "log_price_ratio_to_session_mean";
        names[ProductRevisit] = "product_revisit";
        names[ProductSeen] = "log1p_product_seen_recently";
        names[CategorySwitch] = "category_switch";
        names[DistinctProducts] = "log1p_distinct_products";
        names[DistinctCategories] = "log1p_distinct_categories";
        names[DistinctRatio] = "distinct_products_per_event";
        names[CartViewRatio] = "cart_view_ratio";
        names[HasCart] = "has_cart";
        names[SecondsSinceCart] = "log1p_seconds_since_cart";
        names[Duration] = "log1p_duration_seconds";
        names[Position] = "log1p_position";
        names[HourSin] = "hour_sin";
        names[HourCos] = "hour_cos";
        names[WeekdaySin] = "weekday_sin";
        names[WeekdayCos] = "weekday_cos";
        for (int i = 0; i < ContextClassifier.DeviceSlots.Count; i++) names[DeviceOffset + i] = "device_" + ContextClassifier.DeviceSlots[i];
        for (int i = 0; i < ContextClassifier.ReferrerSlots.Count; i++) names[ReferrerOffset + i] = "referrer_" + ContextClassifier.ReferrerSlots[i];
        for (int i = 0; i < ContextClassifier.PageSlots.Count; i++) names[PageOffset + i] = "page_" + ContextClassifier.PageSlots[i];
        for (int i = 0; i < names.Length; i++)
        {
            if (names[i] is null) throw new InvalidOperationException($"Raw feature {i} has no name: the index constants and RawDimension disagree.");
        }
        return names;
    }
}
