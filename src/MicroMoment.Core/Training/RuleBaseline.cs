using MicroMoment.Events;
using MicroMoment.Features;

namespace MicroMoment.Training;

/// <summary>
/// A rule-based trigger in the style of the trigger practice MicroMoment follows: points for signals a
/// marketer would hand-pick (an add-to-cart, revisits of a product, long dwell, a deep session), minus a
/// point after a removal from the cart. It sees the same prefix the model sees and nothing after it.
/// </summary>
public static class RuleBaseline
{
    /// <summary>Mean gap between events, in seconds, above which the shopper counts as dwelling.</summary>
    public const double DwellSeconds = 30;

    /// <summary>Session depth (events) that earns a point.</summary>
    public const int DeepSessionEvents = 5;

    /// <summary>The rule score of the prefix summarised by <paramref name="state"/>.</summary>
    public static float Score(in SessionFeatureState state)
    {
        var score = 0f;
        if (state.HasCart) score += 3f;
        score += Math.Min(state.ProductRevisits, 3);
        if (state.MeanGapSeconds >= DwellSeconds) score += 1f;
        if (state.EventCount >= DeepSessionEvents) score += 1f;
        if (state.Count(EventType.RemoveFromCart) > 0) score -= 1f;
        return score;
    }
}
