namespace MicroMoment.Gateway;

/// <summary>An API key: the secret, the tenant (shop) it speaks for, and what it may do.</summary>
public sealed class GatewayKey
{
    /// <summary>The secret sent in <c>Authorization: Bearer</c>, <c>X-MicroMoment-Key</c> or (publishable keys only) <c>?key=</c>.</summary>
    public string Key { get; set; } = "";

    /// <summary>The tenant every event sent with this key belongs to.</summary>
    public string Tenant { get; set; } = Events.ClickEvent.DefaultTenant;

    /// <summary>Server or publishable.</summary>
    public GatewayKeyKind Kind { get; set; } = GatewayKeyKind.Server;

    /// <summary>Creates a key with a random secret: "mm_sk_" or "mm_pk_" followed by 32 hex digits.</summary>
    public static GatewayKey Generate(GatewayKeyKind kind, string tenant = Events.ClickEvent.DefaultTenant) => new()
    {
        Key = (kind == GatewayKeyKind.Server ? "mm_sk_" : "mm_pk_") + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
        Tenant = tenant,
        Kind = kind,
    };

    /// <summary>The first characters of the key, for logs (never the whole secret).</summary>
    public string Redacted => Key.Length <= 10 ? "***" : Key[..10] + "...";
}
