using MicroMoment.Events;
using MicroMoment.Scoring;

namespace MicroMoment.Silo;

/// <summary>One event of the live session as the user grain saw it.</summary>
/// <param name="EventId">The client's event id, if any.</param>
/// <param name="Timestamp">Event time (UTC).</param>
/// <param name="Type">Event type.</param>
/// <param name="ProductId">Product.</param>
/// <param name="CategoryId">Category.</param>
/// <param name="BuyProbability">Buy score after the event.</param>
/// <param name="ExitProbability">Exit score after the event.</param>
/// <param name="AttentionWeight">The attention weight α the current session gives this event (re-normalised over the session so far).</param>
public sealed record TimelineEvent(string? EventId, DateTime Timestamp, EventType Type, long ProductId, long CategoryId, float BuyProbability, float ExitProbability, float AttentionWeight);

/// <summary>The live view of one shopper (GET /v1/users/{id}).</summary>
/// <param name="Tenant">The shop.</param>
/// <param name="UserId">The shopper.</param>
/// <param name="Consent">Current consent.</param>
/// <param name="SessionStart">Start of the current (or, when <see cref="SessionOpen"/> is false, the last) session, or null when none.</param>
/// <param name="Timeline">The current session's events with scores and attention weights (bounded; oldest first).</param>
/// <param name="Latest">The latest score, or null before the first event.</param>
/// <param name="ClusterName">The behavioral cluster's name.</param>
/// <param name="Intent">Buy, research or exit.</param>
/// <param name="ActiveOffers">Offers proposed or shown in the live session and not yet resolved or expired (none once the session went idle).</param>
/// <param name="RecentDecisions">The latest trigger decisions, newest last (bounded); a fired offer is given in its current state.</param>
/// <param name="EventsApplied">Events applied over the grain's lifetime.</param>
/// <param name="DuplicatesDropped">Duplicate events dropped over the grain's lifetime.</param>
public sealed record UserView(
    string Tenant,
    string UserId,
    Consent Consent,
    DateTime? SessionStart,
    IReadOnlyList<TimelineEvent> Timeline,
    EventScore? Latest,
    string? ClusterName,
    Intent Intent,
    IReadOnlyList<Offer> ActiveOffers,
    IReadOnlyList<TriggerDecision> RecentDecisions,
    long EventsApplied,
    long DuplicatesDropped)
{
    /// <summary>The shopper's time zone (IANA id) that daily caps count days in, or null: the policy's.</summary>
    public string? TimeZone { get; init; }

    /// <summary>
    /// True while the session is live by the silo clock: its last event was applied at most the model's session timeout
    /// ago. False for a session gone idle (and for one restored from storage until its next event).
    /// </summary>
    public bool SessionOpen { get; init; }

    /// <summary>When (silo clock) the silo last applied an event of this shopper since the grain was activated, or null.</summary>
    public DateTimeOffset? LastEventAppliedAt { get; init; }
}
