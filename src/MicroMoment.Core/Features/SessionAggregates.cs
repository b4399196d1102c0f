using MicroMoment.Events;

namespace MicroMoment.Features;

/// <summary>
/// The session (or session-prefix) aggregate vector used for behavioral clustering and the logistic-regression
/// baseline. It holds no purchase counts: a prefix before the first purchase never has them, and clusters must
/// be assignable to prefixes with the same meaning they had on complete training sessions.
/// </summary>
public static class SessionAggregates
{
    /// <summary>Index of log1p views.</summary>
    public const int LogViews = 0;
    /// <summary>Index of log1p carts.</summary>
    public const int LogCarts = 1;
    /// <summary>Index of log1p removes from cart.</summary>
    public const int LogRemoves = 2;
    /// <summary>Index of log1p distinct products (estimated).</summary>
    public const int LogDistinctProducts = 3;
    /// <summary>Index of log1p distinct categories (estimated).</summary>
    public const int LogDistinctCategories = 4;
    /// <summary>Index of log1p duration in seconds.</summary>
    public const int LogDuration = 5;
    /// <summary>Index of log1p mean gap in seconds.</summary>
    public const int LogMeanGap = 6;
    /// <summary>Index of revisits per event.</summary>
    public const int RevisitRatio = 7;
    /// <summary>Index of carts per view (capped).</summary>
    public const int CartViewRatio = 8;
    /// <summary>Index of category switches per gap.</summary>
    public const int CategorySwitchRate = 9;
    /// <summary>Index of mean log1p price (0 when no price).</summary>
    public const int MeanLogPrice = 10;
    /// <summary>Index of log1p events.</summary>
    public const int LogEvents = 11;

    /// <summary>The length of the aggregate vector.</summary>
    public const int Dimension = 12;

    private static readonly string[] _names =
    [
        "agg_log1p_views",
        "agg_log1p_carts",
        "agg_log1p_removes",
        "agg_log1p_distinct_products",
        "agg_log1p_distinct_categories",
        "agg_log1p_duration_seconds",
        "agg_log1p_mean_gap_seconds",
        "agg_revisit_ratio",
        "agg_cart_view_ratio",
        "agg_category_switch_rate",
        "agg_mean_log1p_price",
        "agg_log1p_events",
    ];

    /// <summary>The aggregate names, in vector order.</summary>
    public static IReadOnlyList<string> Names { get; } = Array.AsReadOnly(_names);

    /// <summary>Writes the aggregate vector of <paramref name="state"/> into <paramref name="aggregate"/> (exactly <see cref="Dimension"/> floats). Allocates nothing.</summary>
    /// <exception cref="ArgumentException"><paramref name="aggregate"/> has the wrong length.</exception>
    public static void Compute(in SessionFeatureState state, Span<float> aggregate)
    {
        if (aggregate.Length != Dimension)
            throw new ArgumentException($"The aggregate span has {aggregate.Length} floats; expected SessionAggregates.Dimension = {Dimension}.", nameof(aggregate));

        int events = state.EventCount;
        aggregate[LogViews] = Log1p(state.Count(EventType.View));
        aggregate[LogCarts] = Log1p(state.Count(EventType.Cart));
        aggregate[LogRemoves] = Log1p(state.Count(EventType.RemoveFromCart));
        aggregate[LogDistinctProducts] = Log1p(state.DistinctProducts);
        aggregate[LogDistinctCategories] = Log1p(state.DistinctCategories);
        aggregate[LogDuration] = Log1p(state.DurationSeconds);
        aggregate[LogMeanGap] = Log1p(state.MeanGapSeconds);
        aggregate[RevisitRatio] = events == 0 ? 0f : state.ProductRevisits / (float)events;
        aggregate[CartViewRatio] = FeatureEncoder.CartPerView(state);
        aggregate[CategorySwitchRate] = state.GapCount == 0 ? 0f : state.CategorySwitches / (float)state.GapCount;
        aggregate[MeanLogPrice] = (float)state.MeanLogPrice;
        aggregate[LogEvents] = Log1p(events);
    }

    private static float Log1p(double x) => (float)Math.Log(1.0 + x);
}
