namespace MicroMoment.Gateway.Auth;

/// <summary>Who is calling: the key that authenticated the request (stored as a request feature by the key handler).</summary>
/// <param name="Key">The key.</param>
internal sealed record GatewayCaller(GatewayKey Key)
{
    /// <summary>The tenant the caller speaks for.</summary>
    public string Tenant => Key.Tenant;

    /// <summary>Server or publishable.</summary>
    public GatewayKeyKind Kind => Key.Kind;

    /// <summary>The caller of an authenticated request.</summary>
    /// <exception cref="InvalidOperationException">The route was mapped without authorization.</exception>
    public static GatewayCaller Of(HttpContext context) =>
        context.Features.Get<GatewayCaller>() ?? throw new InvalidOperationException("The request was not authenticated by a gateway key; the route must require a gateway policy.");
}
