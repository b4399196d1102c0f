namespace MicroMoment.Silo;

/// <summary>The silo's answer for one submitted event.</summary>
/// <param name="Status">Accepted, duplicate, rejected, opted out or overloaded.</param>
/// <param name="Reason">Why it was rejected or dropped (null when accepted).</param>
/// <param name="Score">The model's score after the event (accepted events only).</param>
/// <param name="Decision">The trigger's decision after the event (accepted events only).</param>
[GenerateSerializer]
[Alias("mm.IngestOutcome")]
[Immutable]
public sealed record IngestOutcome(IngestStatus Status, string? Reason = null, Scoring.EventScore? Score = null, TriggerDecision? Decision = null);
