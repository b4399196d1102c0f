namespace MicroMoment.Silo;

/// <summary>A shopper's consent (POST /v1/users/{id}/consent).</summary>
/// <param name="Tracking">May events be recorded and scored? When false, events are dropped as opted out and state is not kept.</param>
/// <param name="Offers">May the shopper receive offers?</param>
public sealed record Consent(bool Tracking, bool Offers)
{
    /// <summary>The default for a shopper who has said nothing: tracked, offers allowed.</summary>
    public static Consent Default { get; } = new(true, true);
}
