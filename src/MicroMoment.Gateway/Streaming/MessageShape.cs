namespace MicroMoment.Gateway.Streaming;

/// <summary>What a client's WebSocket message is.</summary>
internal enum MessageShape
{
    /// <summary>Not valid JSON, or not an object or array.</summary>
    Malformed,

    /// <summary>A bare event object or array of event objects.</summary>
    Events,

    /// <summary>An envelope {"batch": id, "events": [...]}.</summary>
    Envelope,

    /// <summary>Offer feedback {"type": "feedback", "offerId", "feedback"}.</summary>
    Feedback,
}
