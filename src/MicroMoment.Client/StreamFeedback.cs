namespace MicroMoment.Client;

/// <summary>Feedback sent on the stream: {"type": "feedback", "offerId", "feedback"}.</summary>
internal sealed record StreamFeedback(string Type, string OfferId, FeedbackKind Feedback, string Batch);
