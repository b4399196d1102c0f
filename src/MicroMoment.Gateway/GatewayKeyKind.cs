namespace MicroMoment.Gateway;

/// <summary>What a key may do.</summary>
public enum GatewayKeyKind
{
    /// <summary>Every route: events, users, offers, consent, erase, metrics. Keep it on servers.</summary>
    Server,

    /// <summary>Only sending events (POST /v1/events and the WebSocket stream); safe to embed in a web page.</summary>
    Publishable,
}
