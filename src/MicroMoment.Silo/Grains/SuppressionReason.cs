namespace MicroMoment.Silo.Grains;

/// <summary>Why the trigger did not fire, as counted in the statistics (codes: <see cref="TriggerPolicy.ReasonCode"/>).</summary>
internal enum SuppressionReason : byte
{
    /// <summary>Neither score reached its threshold.</summary>
    BelowThreshold = 0,

    /// <summary>An offer was made less than the cooldown ago.</summary>
    Cooldown = 1,

    /// <summary>The session already had its offers.</summary>
    SessionCap = 2,

    /// <summary>The shopper does not accept offers.</summary>
    NoConsent = 3,

    /// <summary>The shopper opted out of tracking; the event was not scored.</summary>
    OptedOut = 4,

    /// <summary>Above threshold, but the confirmation gate (k of n, or sustained) has not passed yet.</summary>
    Unconfirmed = 5,

    /// <summary>Eligible, but not yet for the rule's debounce delay.</summary>
    Debounce = 6,

    /// <summary>The rule's offers for today (policy time zone) are used up.</summary>
    DailyCap = 7,

    /// <summary>The campaign's offers for this shopper are used up.</summary>
    CampaignCap = 8,

    /// <summary>The client reported a context the rule stays silent in (checkout, form filling, drag-and-drop...).</summary>
    Context = 9,

    /// <summary>The session already had a purchase.</summary>
    AfterPurchase = 10,

    /// <summary>The shopper is in an experiment's holdout: scored, never offered.</summary>
    Holdout = 11,
}
