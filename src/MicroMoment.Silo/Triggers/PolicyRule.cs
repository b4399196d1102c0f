using MicroMoment.Scoring;

namespace MicroMoment.Silo.Triggers;

/// <summary>One compiled rule of a <see cref="Policy"/> (immutable).</summary>
public sealed class PolicyRule
{
    /// <summary>Unique name (state and offers refer to it).</summary>
    public required string Name { get; init; }

    /// <summary>The intent whose signal the rule watches (buy: buy score; exit: exit score; research: 1 − max of both).</summary>
    public required Intent Intent { get; init; }

    /// <summary>The offer it makes.</summary>
    public required OfferType Offer { get; init; }

    /// <summary>Higher fires first when several rules are eligible.</summary>
    public int Priority { get; init; }

    /// <summary>Threshold for clusters without their own; null: the model's threshold for the intent.</summary>
    public float? DefaultThreshold { get; init; }

    /// <summary>Thresholds by cluster name.</summary>
    public IReadOnlyDictionary<string, float> ClusterThresholds { get; init; } = new Dictionary<string, float>();

    /// <summary>Cart condition.</summary>
    public CartCondition Cart { get; init; }

    /// <summary>Confirmation: at least <see cref="ConfirmK"/> of the last <see cref="ConfirmN"/> events above threshold (1 of 1: none).</summary>
    public int ConfirmK { get; init; } = 1;

    /// <summary>Window of the k-of-n confirmation (at most 64).</summary>
    public int ConfirmN { get; init; } = 1;

    /// <summary>Confirmation: the signal stayed above threshold for at least this long (event time); zero: none.</summary>
    public TimeSpan Sustained { get; init; }

    /// <summary>The rule must stay eligible this long (event time) before it fires; zero: fires at once.</summary>
    public TimeSpan Debounce { get; init; }

    /// <summary>Least time since the shopper's previous offer.</summary>
    public TimeSpan Cooldown { get; init; }

    /// <summary>Each consecutive dismissal multiplies the cooldown by this (≥ 1).</summary>
    public double Backoff { get; init; } = 1;

    /// <summary>Upper bound of the backed-off cooldown.</summary>
    public TimeSpan MaxCooldown { get; init; }

    /// <summary>Most offers of this rule per session (0: no cap).</summary>
    public int MaxPerSession { get; init; }

    /// <summary>Most offers of this rule per calendar day in the shopper's time zone, else the policy's (0: no cap).</summary>
    public int MaxPerDay { get; init; }

    /// <summary>The campaign the rule's offers count towards (rules may share one).</summary>
    public required string Campaign { get; init; }

    /// <summary>Most offers per shopper over the campaign's life (0: no cap).</summary>
    public int MaxPerCampaign { get; init; }

    /// <summary>Client-reported contexts (event page) during which the rule stays silent, lower case.</summary>
    public IReadOnlyList<string> SuppressContexts { get; init; } = [];

    /// <summary>Stay silent for the rest of a session that had a purchase.</summary>
    public bool SuppressAfterPurchase { get; init; }

    /// <summary>The consent category the shopper must have granted ("offers" by default); null for "none" (pure assistance).</summary>
    public string? Consent { get; init; } = ConsentCategories.Offers;
}
