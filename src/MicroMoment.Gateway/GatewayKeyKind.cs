namespace MicroMoment.Gateway;

/// <summary>What a key may do.</summary>
public enum GatewayKeyKind
{
    /// <summary>Every route: events, users, offers, consent, erase, metrics. Keep it on servers.</summary>
    Server,

    /// <summary>
    /// Only sending events (POST /v1/events and the WebSocket stream), each request or connection bound to one shopper
    /// (a shopper token's, or the gateway's anonymous cookie's); safe to embed in a web page.
    /// </summary>
    Publishable,
}
