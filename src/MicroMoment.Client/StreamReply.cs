namespace MicroMoment.Client;

/// <summary>A message from the gateway on the stream: ack, offer, feedback or error.</summary>
internal sealed record StreamReply(string Type, string? Batch, IngestResult? Ack, Offer? Offer, FeedbackResult? Feedback, int? Status, string? Title, string? Detail, int? RetryAfterSeconds);
