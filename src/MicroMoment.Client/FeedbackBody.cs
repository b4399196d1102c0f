namespace MicroMoment.Client;

/// <summary>The body of POST /v1/offers/{id}/feedback.</summary>
internal sealed record FeedbackBody(FeedbackKind Feedback);
