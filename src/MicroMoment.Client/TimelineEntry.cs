namespace MicroMoment.Client;

/// <summary>One event of the live session.</summary>
/// <param name="EventId">The event's id.</param>
/// <param name="Timestamp">Event time (UTC).</param>
/// <param name="Type">Event type name.</param>
/// <param name="ProductId">Product.</param>
/// <param name="CategoryId">Category.</param>
/// <param name="Buy">Buy score after it; null when the model has no buy head.</param>
/// <param name="Exit">Exit score after it; null when the model has no exit head.</param>
/// <param name="AttentionWeight">The softmax attention weight α the session gives it (JSON <c>attentionWeight</c>; a session's weights sum to 1).</param>
public sealed record TimelineEntry(string? EventId, DateTime Timestamp, string Type, long ProductId, long CategoryId, float? Buy, float? Exit, float AttentionWeight);
