namespace MicroMoment.Client;

/// <summary>The trigger policy's decision after an event.</summary>
/// <param name="Fired">True when an offer fired.</param>
/// <param name="Offer">The offer, when fired.</param>
/// <param name="SuppressedBecause">Why none fired (below-threshold, cooldown, session-cap, no-consent, ...).</param>
public sealed record Decision(bool Fired, Offer? Offer, string? SuppressedBecause);
