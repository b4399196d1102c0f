using System.Collections.Frozen;

namespace MicroMoment.Gateway.Auth;

/// <summary>The configured keys, looked up by secret.</summary>
internal sealed class KeyRegistry(GatewayOptions options)
{
    private readonly FrozenDictionary<string, GatewayKey> _keys = options.Keys.ToFrozenDictionary(k => k.Key, StringComparer.Ordinal);

    /// <summary>The key with this secret, if configured.</summary>
    public bool TryFind(string secret, out GatewayKey key) => _keys.TryGetValue(secret, out key!);
}
