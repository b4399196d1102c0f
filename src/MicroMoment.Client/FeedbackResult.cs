namespace MicroMoment.Client;

/// <summary>The answer to offer feedback.</summary>
/// <param name="OfferId">The offer.</param>
/// <param name="Feedback">The feedback given.</param>
/// <param name="Outcome">Recorded, unknown offer or invalid transition.</param>
public sealed record FeedbackResult(string OfferId, FeedbackKind Feedback, FeedbackOutcome Outcome);
