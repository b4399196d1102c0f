using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using MicroMoment.Gateway.Apis;
using MicroMoment.Gateway.Metrics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MicroMoment.Gateway.Auth;

/// <summary>
/// Binds a publishable-key request (POST /v1/events, GET /v1/stream) to exactly one shopper, so a page holding the
/// public key cannot act for anyone else: the shopper named by a shopper token (header
/// <see cref="TokenHeader"/> or <c>?shopperToken=</c>) that the shop's backend signed with its server key; without a
/// token, the anonymous shopper of the gateway's own signed cookie (<see cref="CookieName"/>), minted here on first use.
/// Minting a new anonymous id, and admitting a token's user for the first time in a while, count against the
/// <see cref="NewShopperLimiter"/>.
/// </summary>
internal sealed class ShopperBinder(ShopperTokens tokens, NewShopperLimiter limiter, IOptions<GatewayOptions> options, TimeProvider time, GatewayMetrics metrics)
{
    /// <summary>The request header that may carry a shopper token.</summary>
    public const string TokenHeader = "X-MicroMoment-Shopper";

    /// <summary>The query parameter that may carry a shopper token (browsers cannot set headers on a WebSocket or a beacon).</summary>
    public const string TokenQuery = "shopperToken";

    /// <summary>The cookie holding the gateway-signed anonymous shopper.</summary>
    public const string CookieName = "mm_shopper";

    /// <summary>The prefix of anonymous shopper ids ("anon-" and 22 base64url characters: 128 random bits).</summary>
    public const string AnonymousPrefix = "anon-";

    /// <summary>The path the anonymous cookie is sent to.</summary>
    public const string CookiePath = "/v1";

    /// <summary>
    /// The shopper a publishable-key request acts for, or (false) the problem to answer: 401 for a bad token, 429 when
    /// a new shopper would exceed the limits (with Retry-After set on the response).
    /// </summary>
    public bool TryBind(HttpContext context, GatewayKey key, out string userId, out ProblemHttpResult? problem)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var token = Token(context.Request);
        if (token is not null)
        {
            if (!tokens.TryVerify(token, ShopperTokens.ShopperKind, key.Tenant, now, settings.MaxShopperTokenLifetime, out userId, out _, out var why))
            {
                problem = Problems.Of(401, "Invalid shopper token", why!);
                return false;
            }
            if (!limiter.TryAdmit(UserKey.Of(key.Tenant, userId), key.Key, context.Connection.RemoteIpAddress, out var refusal))
            {
                problem = TooMany(context, refusal);
                return false;
            }
            problem = null;
            return true;
        }

        if (context.Request.Cookies.TryGetValue(CookieName, out var cookie)
            && tokens.TryVerify(cookie, ShopperTokens.AnonymousKind, key.Tenant, now, settings.AnonymousShopperLifetime, out userId, out var expiresAt, out _))
        {
            // Sliding: a cookie past half its lifetime is renewed for the same shopper.
            if (expiresAt - now < settings.AnonymousShopperLifetime / 2) SetCookie(context, key.Tenant, userId, now);
            problem = null;
            return true;
        }

        // No token and no valid cookie of this tenant: a new anonymous shopper, if the limits allow one.
        if (!limiter.TryAdmitNew(key.Key, context.Connection.RemoteIpAddress, out var limit))
        {
            userId = "";
            problem = TooMany(context, limit);
            return false;
        }
        userId = NewAnonymousId();
        limiter.Remember(UserKey.Of(key.Tenant, userId));
        SetCookie(context, key.Tenant, userId, now);
        problem = null;
        return true;
    }

    /// <summary>A fresh anonymous shopper id: "anon-" and 128 random bits in base64url.</summary>
    public static string NewAnonymousId() => AnonymousPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>A 429 problem for a refused new shopper, with Retry-After set on the response.</summary>
    public ProblemHttpResult TooMany(HttpContext context, NewShopperLimiter.Refusal refusal)
    {
        metrics.CountRateLimited("new-shopper");
        var seconds = Math.Max(1, (int)Math.Ceiling(refusal.RetryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var which = refusal.PerAddress
            ? $"this client address has brought {refusal.Limit} new shoppers in this minute, the most one address may ({nameof(GatewayOptions.NewShoppersPerAddressPerMinute)})"
            : $"this publishable key has brought {refusal.Limit} new shoppers in this minute, the most it may ({nameof(GatewayOptions.NewShoppersPerKeyPerMinute)})";
        return Problems.Of(429, "Too many new shoppers",
            $"No new shopper was started: {which}. Retry after {seconds} s. A browser that keeps the gateway's {CookieName} cookie, or sends its shopper token, is not counted again.");
    }

    private void SetCookie(HttpContext context, string tenant, string userId, DateTimeOffset now)
    {
        var lifetime = options.Value.AnonymousShopperLifetime;
        var value = tokens.Mint(ShopperTokens.AnonymousKind, tenant, userId, now + lifetime);
        context.Response.Cookies.Append(CookieName, value, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = CookiePath,
            MaxAge = lifetime,
            IsEssential = true,
        });
    }

    private static string? Token(HttpRequest request)
    {
        if (request.Headers.TryGetValue(TokenHeader, out var header) && header.ToString().Trim() is { Length: > 0 } fromHeader) return fromHeader;
        if (request.Query.TryGetValue(TokenQuery, out var query) && query.ToString() is { Length: > 0 } fromQuery) return fromQuery;
        return null;
    }
}
