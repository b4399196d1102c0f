namespace MicroMoment.Silo;

/// <summary>The result of recording offer feedback.</summary>
[GenerateSerializer]
[Alias("mm.FeedbackOutcome")]
public enum FeedbackOutcome
{
    /// <summary>Recorded; the offer moved to the new state.</summary>
    Recorded,

    /// <summary>No offer with that id is known.</summary>
    UnknownOffer,

    /// <summary>The transition is not allowed (e.g. clicked after dismissed); nothing changed.</summary>
    InvalidTransition,
}
