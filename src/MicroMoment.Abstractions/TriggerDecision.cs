namespace MicroMoment.Silo;

/// <summary>The trigger grain's decision after one event: an offer, or the reason none was made.</summary>
/// <param name="Offer">The offer fired, or null.</param>
/// <param name="SuppressedBecause">Why no offer was fired (e.g. "below-threshold", "cooldown", "capped", "no-consent"), or null when fired.</param>
[GenerateSerializer]
[Alias("mm.TriggerDecision")]
[Immutable]
public sealed record TriggerDecision(Offer? Offer, string? SuppressedBecause)
{
    /// <summary>The reason code of a holdout shopper's would-be offer: every gate passed, nothing offered.</summary>
    public const string HoldoutReason = "holdout";

    /// <summary>True when an offer was fired.</summary>
    public bool Fired => Offer is not null;
}
