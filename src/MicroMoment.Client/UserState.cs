namespace MicroMoment.Client;

/// <summary>The live view of a shopper (GET /v1/users/{id}).</summary>
/// <param name="UserId">The shopper.</param>
/// <param name="Consent">Consent.</param>
/// <param name="SessionStart">Start of the current session (of the last one when <paramref name="SessionOpen"/> is false).</param>
/// <param name="Timeline">The session's events with scores and attention weights.</param>
/// <param name="Latest">The latest score.</param>
/// <param name="ClusterName">Behavioral cluster.</param>
/// <param name="Intent">Current intent.</param>
/// <param name="ActiveOffers">Offers proposed or shown in the live session and not resolved or expired.</param>
/// <param name="RecentDecisions">Latest trigger decisions, newest last.</param>
/// <param name="EventsApplied">Events applied over the shopper's life.</param>
/// <param name="DuplicatesDropped">Duplicates dropped.</param>
/// <param name="Signals">Recent tracker signals.</param>
/// <param name="TimeZone">The shopper's time zone that daily caps count days in (the latest valid one their events sent), or null.</param>
/// <param name="SessionOpen">True while the session is live (its last event was applied within the session timeout, by the silo clock).</param>
/// <param name="LastEventAppliedAt">When the silo last applied an event of the shopper, or null when unknown (e.g. restored from storage).</param>
public sealed record UserState(string UserId, ConsentState Consent, DateTime? SessionStart, IReadOnlyList<TimelineEntry> Timeline, Score? Latest, string? ClusterName, Intent Intent,
    IReadOnlyList<Offer> ActiveOffers, IReadOnlyList<Decision> RecentDecisions, long EventsApplied, long DuplicatesDropped, IReadOnlyList<RecordedSignal> Signals,
    string? TimeZone = null, bool SessionOpen = false, DateTimeOffset? LastEventAppliedAt = null);
