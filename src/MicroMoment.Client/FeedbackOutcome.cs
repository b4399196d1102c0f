using System.Text.Json.Serialization;

namespace MicroMoment.Client;

/// <summary>What recording feedback did.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<FeedbackOutcome>))]
public enum FeedbackOutcome
{
    /// <summary>Recorded.</summary>
    Recorded,

    /// <summary>No such offer.</summary>
    UnknownOffer,

    /// <summary>The offer's state does not allow it (e.g. clicked after dismissed).</summary>
    InvalidTransition,
}
