namespace MicroMoment.Client;

/// <summary>What happened to one event of a batch.</summary>
/// <param name="Index">Position in the batch.</param>
/// <param name="EventId">The event's id as sent.</param>
/// <param name="Status">Accepted, duplicate, rejected, opted out or overloaded.</param>
/// <param name="Reason">Machine-readable reason (rejected, overloaded).</param>
/// <param name="Detail">What was wrong and what was expected (rejected by the gateway).</param>
/// <param name="Score">The score after the event (scored events).</param>
/// <param name="Decision">The trigger decision after the event (scored events).</param>
/// <param name="Signal">The signal's name (signals).</param>
public sealed record EventResult(int Index, string? EventId, EventStatus Status, string? Reason, string? Detail, Score? Score, Decision? Decision, string? Signal);
