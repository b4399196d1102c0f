using MicroMoment.Events;
using MicroMoment.Features;

namespace MicroMoment.Training;

/// <summary>
/// Rule-based triggers in the style of the trigger practice MicroMoment follows. Buy: points for signals a
/// marketer would hand-pick (an add-to-cart, revisits of a product, long dwell, a deep session), minus a
/// point after a removal from the cart. Exit: points for a bounce (one event so far), browsing fatigue (many
/// views, no cart) and looping back to a product already seen, minus a point once something is in the cart.
/// Both see the same prefix the model sees and nothing after it; neither was tuned on any data.
/// </summary>
public static class RuleBaseline
{
    /// <summary>Mean gap between events, in seconds, above which the shopper counts as dwelling.</summary>
    public const double DwellSeconds = 30;

    /// <summary>Session depth (events) that earns a point.</summary>
    public const int DeepSessionEvents = 5;

    /// <summary>Views without a cart from which the exit rule counts browsing fatigue.</summary>
    public const int FatigueViews = 5;

    /// <summary>The buy rule score of the prefix summarised by <paramref name="state"/>.</summary>
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

    /// <summary>The exit rule score of the prefix summarised by <paramref name="state"/>, whose latest event
    /// <paramref name="revisit"/>s a product already seen in the session (or not).</summary>
    public static float ExitScore(in SessionFeatureState state, bool revisit)
    {
        var score = 0f;
        if (state.EventCount == 1) score += 1f;
        if (!state.HasCart && state.Count(EventType.View) >= FatigueViews) score += 1f;
        if (revisit) score += 1f;
        if (state.HasCart) score -= 1f;
        return score;
    }
}
