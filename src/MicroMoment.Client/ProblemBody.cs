namespace MicroMoment.Client;

/// <summary>An RFC 7807 problem as the gateway writes it (with per-event results on 503).</summary>
internal sealed record ProblemBody(int? Status, string? Title, string? Detail, IReadOnlyList<EventResult>? Results);
