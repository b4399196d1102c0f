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
}
