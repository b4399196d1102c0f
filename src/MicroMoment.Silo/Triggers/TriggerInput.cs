using MicroMoment.Scoring;

namespace MicroMoment.Silo.Triggers;

/// <summary>What the rule evaluator sees of one scored event.</summary>
/// <param name="Score">The model's score after the event.</param>
/// <param name="HasCart">True when the session has a cart.</param>
/// <param name="EventTicks">Event time (UTC ticks).</param>
/// <param name="SessionStartTicks">Start of the event's session (UTC ticks).</param>
/// <param name="Page">The client-reported context (page / interaction), or null.</param>
/// <param name="Consent">The shopper's consent (a rule needs its category granted).</param>
/// <param name="IsPurchase">The event is a purchase.</param>
/// <param name="Tenant">The shop (experiment bucketing).</param>
/// <param name="UserId">The shopper (experiment bucketing).</param>
/// <param name="TimeZone">The shopper's own time zone for daily caps, or null: the policy's.</param>
internal readonly record struct TriggerInput(
    EventScore Score, bool HasCart, long EventTicks, long SessionStartTicks, string? Page, Consent Consent, bool IsPurchase, string Tenant, string UserId,
    TimeZoneInfo? TimeZone = null);
