using System.Buffers.Text;
using System.Collections.Frozen;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MicroMoment.Gateway.Auth;

/// <summary>
/// Mints and checks the tokens that bind a browser to one shopper:
/// <c>&lt;kind&gt;.&lt;base64url tenant&gt;.&lt;base64url user id&gt;.&lt;expiry, Unix seconds&gt;.&lt;base64url HMAC-SHA256&gt;</c>,
/// the MAC keyed by a server key of the tenant over <c>"mm-shopper-token\n" + kind + "\n" + tenant + "\n" + userId + "\n" + expiry</c>.
/// Kind <see cref="ShopperKind"/> is minted by a shop's backend (or POST /v1/shopper-tokens) for its own user ids;
/// kind <see cref="AnonymousKind"/> is minted by the gateway for the anonymous ids it hands out in a cookie. A token of
/// one kind is never accepted as the other. Signatures are compared in constant time.
/// </summary>
internal sealed class ShopperTokens
{
    /// <summary>The kind of token a shop's backend mints for a shopper it knows.</summary>
    public const string ShopperKind = "s1";

    /// <summary>The kind of token the gateway mints for an anonymous shopper (its cookie).</summary>
    public const string AnonymousKind = "a1";

    /// <summary>Longest token read, characters.</summary>
    public const int MaxTokenLength = 1024;

    private const string MacPrefix = "mm-shopper-token\n";

    private readonly FrozenDictionary<string, byte[][]> _keysByTenant;

    /// <summary>Keys the MACs with the configured server keys, per tenant (the first one of a tenant signs).</summary>
    public ShopperTokens(GatewayOptions options)
    {
        _keysByTenant = options.Keys
            .Where(k => k.Kind == GatewayKeyKind.Server)
            .GroupBy(k => k.Tenant, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Select(k => Encoding.UTF8.GetBytes(k.Key)).ToArray(), StringComparer.Ordinal);
    }

    /// <summary>A token of <paramref name="kind"/> for (<paramref name="tenant"/>, <paramref name="userId"/>) valid until <paramref name="expiresAt"/>.</summary>
    /// <exception cref="InvalidOperationException">The tenant has no server key to sign with.</exception>
    public string Mint(string kind, string tenant, string userId, DateTimeOffset expiresAt)
    {
        if (!_keysByTenant.TryGetValue(tenant, out var keys))
            throw new InvalidOperationException($"Tenant '{tenant}' has no server key; shopper tokens are signed with a server key of the tenant.");
        return Format(kind, tenant, userId, expiresAt.ToUnixTimeSeconds(), keys[0]);
    }

    /// <summary>The token text for the given parts, signed with <paramref name="key"/> (the format the .NET client mints too).</summary>
    public static string Format(string kind, string tenant, string userId, long expiry, byte[] key)
    {
        var expiryText = expiry.ToString(CultureInfo.InvariantCulture);
        var mac = Mac(key, kind, tenant, userId, expiryText);
        return string.Concat(kind, ".", Base64Url.EncodeToString(Encoding.UTF8.GetBytes(tenant)), ".", Base64Url.EncodeToString(Encoding.UTF8.GetBytes(userId)), ".", expiryText, ".", Base64Url.EncodeToString(mac));
    }

    /// <summary>
    /// Checks a token of <paramref name="kind"/> presented with a key of <paramref name="tenant"/> at <paramref name="now"/>:
    /// well formed, of that kind and tenant, signed by one of the tenant's server keys, not expired, and expiring no
    /// later than <paramref name="maxLifetime"/> from now. On failure <paramref name="problem"/> says which and what is expected.
    /// </summary>
    public bool TryVerify(string? token, string kind, string tenant, DateTimeOffset now, TimeSpan maxLifetime, out string userId, out DateTimeOffset expiresAt, out string? problem)
    {
        userId = "";
        expiresAt = default;
        const string expected = "a token minted by the shop's backend with its server key (MicroMomentClient.CreateShopperToken or POST /v1/shopper-tokens)";
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            problem = $"The shopper token is {(string.IsNullOrEmpty(token) ? "empty" : $"{token.Length} characters long")}; expected {expected}, at most {MaxTokenLength} characters.";
            return false;
        }
        var parts = token.Split('.');
        if (parts.Length != 5 || !TryDecode(parts[1], out var tokenTenant) || !TryDecode(parts[2], out var tokenUser)
            || !long.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var expiry) || !TryDecodeBytes(parts[4], out var mac))
        {
            problem = $"The shopper token is malformed; expected {expected}: five dot-separated parts '<kind>.<tenant>.<user id>.<expiry>.<signature>'.";
            return false;
        }
        if (!string.Equals(parts[0], kind, StringComparison.Ordinal))
        {
            problem = parts[0] is ShopperKind or AnonymousKind
                ? $"The token is of kind '{parts[0]}', which is not accepted here; expected a '{kind}' token ({(kind == ShopperKind ? expected : "the gateway's own anonymous cookie")})."
                : $"The shopper token has kind '{Shorten(parts[0])}'; expected '{kind}' ({expected}).";
            return false;
        }
        if (!string.Equals(tokenTenant, tenant, StringComparison.Ordinal))
        {
            problem = $"The shopper token is for tenant '{Shorten(tokenTenant)}', but the key it came with belongs to tenant '{tenant}'; mint the token with a server key of tenant '{tenant}'.";
            return false;
        }
        if (!IsValidUserId(tokenUser))
        {
            problem = $"The shopper token names a user id that cannot be one; expected 1 to {Wire.EventParser.MaxIdLength} printable characters, not only blanks.";
            return false;
        }
        var signed = false;
        if (_keysByTenant.TryGetValue(tenant, out var keys))
        {
            foreach (var key in keys)
                signed |= CryptographicOperations.FixedTimeEquals(mac, Mac(key, kind, tenant, tokenUser, parts[3]));
        }
        if (!signed)
        {
            problem = $"The shopper token's signature does not match: it was altered, or signed with a key that is not a server key of tenant '{tenant}'.";
            return false;
        }
        expiresAt = expiry > 253_402_300_799 ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeSeconds(expiry);
        if (expiresAt <= now)
        {
            problem = $"The shopper token expired at {expiresAt:yyyy-MM-ddTHH:mm:ssZ} (gateway time {now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}); have the shop's backend mint a fresh one.";
            return false;
        }
        if (expiresAt - now > maxLifetime)
        {
            problem = $"The shopper token expires at {expiresAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, more than {Describe(maxLifetime)} from now; this gateway accepts tokens that live at most {Describe(maxLifetime)} (mint short-lived tokens and refresh them).";
            return false;
        }
        userId = tokenUser;
        problem = null;
        return true;
    }

    /// <summary>True when <paramref name="userId"/> can name a shopper: 1 to 128 characters, no control characters, not only blanks.</summary>
    public static bool IsValidUserId(string? userId) =>
        !string.IsNullOrWhiteSpace(userId) && userId.Length <= Wire.EventParser.MaxIdLength
        && !userId.AsSpan().ContainsAnyInRange('\0', '\u001f') && !userId.Contains('\u007f');

    private static byte[] Mac(byte[] key, string kind, string tenant, string userId, string expiry) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(string.Concat(MacPrefix, kind, "\n", tenant, "\n", userId, "\n", expiry)));

    private static bool TryDecode(string part, out string text)
    {
        text = "";
        if (!TryDecodeBytes(part, out var bytes)) return false;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool TryDecodeBytes(string part, out byte[] bytes)
    {
        bytes = [];
        if (part.Length == 0 || !Base64Url.IsValid(part, out var length)) return false;
        bytes = new byte[length];
        return Base64Url.TryDecodeFromChars(part, bytes, out var written) && written == length;
    }

    private static string Describe(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays == Math.Floor(span.TotalDays) ? $"{span.TotalDays:0} day(s)"
        : span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? $"{span.TotalHours:0} hour(s)"
        : $"{span.TotalMinutes:0.#} minute(s)";

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
