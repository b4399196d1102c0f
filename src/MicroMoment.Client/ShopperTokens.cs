using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MicroMoment.Client;

/// <summary>
/// Mints shopper tokens, for a shop's backend that holds the server key: a page passes the token to the tracker
/// (<c>MicroMoment.init({ key, shopperToken })</c>) and the gateway then binds the browser to exactly that shopper.
/// The format is <c>s1.&lt;base64url tenant&gt;.&lt;base64url user id&gt;.&lt;expiry, Unix seconds&gt;.&lt;base64url MAC&gt;</c>,
/// the MAC being HMAC-SHA256 keyed by the server key's UTF-8 bytes over
/// <c>"mm-shopper-token\ns1\n" + tenant + "\n" + userId + "\n" + expiry</c> (base64url without padding).
/// </summary>
public static class ShopperTokens
{
    /// <summary>The tenant of keys configured without one.</summary>
    public const string DefaultTenant = "default";

    private static readonly SearchValues<char> TenantChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");

    /// <summary>A token for <paramref name="userId"/> of <paramref name="tenant"/>, valid until <paramref name="expiresAt"/> (whole seconds).</summary>
    /// <param name="serverKey">A server key of the tenant (it signs; it is not in the token).</param>
    /// <param name="tenant">The tenant the gateway's keys are configured with.</param>
    /// <param name="userId">The shopper: 1 to 128 printable characters, not only blanks.</param>
    /// <param name="expiresAt">When the token stops being accepted; keep it short (minutes to hours: the gateway accepts at most its MaxShopperTokenLifetime, 24 h by default).</param>
    public static string Create(string serverKey, string tenant, string userId, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serverKey);
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        if (string.IsNullOrWhiteSpace(userId) || userId.Length > 128 || userId.AsSpan().ContainsAnyInRange('\0', '\u001f') || userId.Contains('\u007f'))
            throw new ArgumentException($"The user id must be 1 to 128 printable characters, not only blanks; got {(userId is null ? "null" : $"{userId.Length} characters")}.", nameof(userId));
        if (tenant.Length > 64 || tenant.AsSpan().ContainsAnyExcept(TenantChars))
            throw new ArgumentException($"'{tenant}' is not a tenant name; a tenant is 1 to 64 letters, digits, '_', '.' or '-'.", nameof(tenant));
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(serverKey), Encoding.UTF8.GetBytes(string.Concat("mm-shopper-token\ns1\n", tenant, "\n", userId, "\n", expiry)));
        return string.Concat("s1.", Base64Url.EncodeToString(Encoding.UTF8.GetBytes(tenant)), ".", Base64Url.EncodeToString(Encoding.UTF8.GetBytes(userId)), ".", expiry, ".", Base64Url.EncodeToString(mac));
    }
}
