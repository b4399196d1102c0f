using MicroMoment.Gateway.Auth;
using MicroMoment.Gateway.Wire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MicroMoment.Gateway.Apis;

/// <summary>
/// /tracker.js (the browser tracker) and /demo (a small shop that uses it), served from embedded resources, and the
/// demo shop's own backend route POST /demo/shopper-token, which mints the shopper token its page hands the tracker.
/// </summary>
internal static class TrackerApi
{
    /// <summary>The demo shop's own visitor cookie (what a real shop's session would be).</summary>
    public const string DemoVisitorCookie = "mm_demo_visitor";

    /// <summary>The prefix of demo visitor ids.</summary>
    public const string DemoVisitorPrefix = "demo-";

    /// <summary>Lifetime of the tokens the demo mints; the tracker asks for a fresh one when it reconnects after that.</summary>
    public static readonly TimeSpan DemoTokenLifetime = TimeSpan.FromMinutes(15);

    private static readonly Lazy<byte[]> Tracker = new(() => Resource("tracker.js"));
    private static readonly Lazy<string> DemoPage = new(() => System.Text.Encoding.UTF8.GetString(Resource("demo.html")));

    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapTrackerApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/tracker.js", GetTracker).AllowAnonymous().DisableRateLimiting();
        app.MapGet("/demo", GetDemo).AllowAnonymous().DisableRateLimiting();
        app.MapPost("/demo/shopper-token", MintDemoToken).AllowAnonymous().DisableAntiforgery();
        return app;
    }

    /// <summary>
    /// The demo shop's backend: it knows its visitor by its own cookie (a new visitor gets a new id, counted like any
    /// new shopper) and mints a short-lived shopper token for them with the tenant's server key, as a real shop's backend
    /// would for its logged-in or anonymous visitor.
    /// </summary>
    public static Results<Ok<ShopperTokenResponse>, ProblemHttpResult> MintDemoToken(
        HttpContext context, IOptions<GatewayOptions> options, ShopperTokens tokens, NewShopperLimiter limiter, ShopperBinder binder, TimeProvider time)
    {
        var settings = options.Value;
        if (settings.FirstPublishableKey is not { } key)
            return Problems.Of(404, "No demo", "The demo needs a publishable key; configure one (Kind=Publishable) to serve /demo.");
        var now = time.GetUtcNow();
        if (!context.Request.Cookies.TryGetValue(DemoVisitorCookie, out var cookie)
            || !tokens.TryVerify(cookie, ShopperTokens.AnonymousKind, key.Tenant, now, settings.AnonymousShopperLifetime, out var visitor, out _, out _))
        {
            if (!limiter.TryAdmitNew(key.Key, context.Connection.RemoteIpAddress, out var refusal)) return binder.TooMany(context, refusal);
            visitor = DemoVisitorPrefix + ShopperBinder.NewAnonymousId()[ShopperBinder.AnonymousPrefix.Length..];
            limiter.Remember(UserKey.Of(key.Tenant, visitor));
            context.Response.Cookies.Append(DemoVisitorCookie, tokens.Mint(ShopperTokens.AnonymousKind, key.Tenant, visitor, now + settings.AnonymousShopperLifetime), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = "/demo",
                MaxAge = settings.AnonymousShopperLifetime,
            });
        }
        var lifetime = settings.MaxShopperTokenLifetime < DemoTokenLifetime ? settings.MaxShopperTokenLifetime : DemoTokenLifetime;
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds((now + lifetime).ToUnixTimeSeconds());
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new ShopperTokenResponse(tokens.Mint(ShopperTokens.ShopperKind, key.Tenant, visitor, expiresAt), visitor, expiresAt));
    }

    /// <summary>The tracker script.</summary>
    public static FileContentHttpResult GetTracker(HttpContext context)
    {
        context.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.File(Tracker.Value, "text/javascript; charset=utf-8");
    }

    /// <summary>The demo shop, wired to the first publishable key (publishable keys are meant to be public).</summary>
    public static Results<ContentHttpResult, ProblemHttpResult> GetDemo(IOptions<GatewayOptions> options)
    {
        if (options.Value.FirstPublishableKey is not { } key)
            return Problems.Of(404, "No demo", "The demo needs a publishable key; configure one (Kind=Publishable) to serve /demo.");
        var html = DemoPage.Value.Replace("__PUBLISHABLE_KEY__", System.Text.Encodings.Web.JavaScriptEncoder.Default.Encode(key.Key), StringComparison.Ordinal);
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    private static byte[] Resource(string name)
    {
        var assembly = typeof(TrackerApi).Assembly;
        using var stream = assembly.GetManifestResourceStream("MicroMoment.Gateway.Tracker." + name)
            ?? throw new InvalidOperationException($"The embedded resource 'Tracker/{name}' is missing from {assembly.GetName().Name}; the build must embed it.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
