using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MicroMoment.Gateway.Apis;

/// <summary>/tracker.js (the browser tracker) and /demo (a small shop that uses it), served from embedded resources.</summary>
internal static class TrackerApi
{
    private static readonly Lazy<byte[]> Tracker = new(() => Resource("tracker.js"));
    private static readonly Lazy<string> DemoPage = new(() => System.Text.Encoding.UTF8.GetString(Resource("demo.html")));

    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapTrackerApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/tracker.js", GetTracker).AllowAnonymous().DisableRateLimiting();
        app.MapGet("/demo", GetDemo).AllowAnonymous().DisableRateLimiting();
        return app;
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
