namespace MicroMoment.Gateway.Auth;

/// <summary>Names used by the gateway's key authentication and authorization.</summary>
internal static class GatewayPolicies
{
    /// <summary>The authentication scheme.</summary>
    public const string Scheme = "MicroMomentKey";

    /// <summary>Routes any key may call (sending events).</summary>
    public const string Events = "MicroMoment.Events";

    /// <summary>Routes only a server key may call.</summary>
    public const string Server = "MicroMoment.Server";

    /// <summary>The claim holding the key kind ("server" or "publishable").</summary>
    public const string KindClaim = "micromoment:kind";

    /// <summary>The claim holding the tenant.</summary>
    public const string TenantClaim = "micromoment:tenant";

    /// <summary>The header that may carry the key instead of Authorization.</summary>
    public const string KeyHeader = "X-MicroMoment-Key";

    /// <summary>The query parameter that may carry a publishable key (browsers cannot set WebSocket headers).</summary>
    public const string KeyQuery = "key";
}
