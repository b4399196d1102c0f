using System.Text;
using MicroMoment.Gateway.Apis;
using MicroMoment.Gateway.Ingestion;
using MicroMoment.Gateway.Wire;
using MicroMoment.Silo;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Orleans.Dashboard;

namespace MicroMoment.Gateway.Dashboard;

/// <summary>
/// The operator dashboard: /dashboard (the page and its script, no data), POST /dashboard/login and /dashboard/logout
/// (the cookie), and the read-only data under /dashboard/api (server key or cookie): snapshot, history, a server-sent
/// event stream of snapshots, a shopper's live view, the model report and the experiments panel.
/// </summary>
public static class DashboardEndpoints
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    /// <summary>Maps the dashboard's routes.</summary>
    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet("/dashboard", () => Asset("dashboard.html", "text/html; charset=utf-8")).AllowAnonymous().DisableRateLimiting();
        app.MapGet("/dashboard/dashboard.js", () => Asset("dashboard.js", "text/javascript; charset=utf-8")).AllowAnonymous().DisableRateLimiting();
        app.MapGet("/dashboard/dashboard.css", () => Asset("dashboard.css", "text/css; charset=utf-8")).AllowAnonymous().DisableRateLimiting();
        app.MapPost("/dashboard/login", LoginAsync).AllowAnonymous().DisableAntiforgery();
        app.MapPost("/dashboard/logout", Logout).AllowAnonymous();

        var api = app.MapGroup("/dashboard/api").AllowAnonymous().AddEndpointFilter(RequireReader);
        api.MapGet("/snapshot", (DashboardSampler sampler) => Json(sampler.Latest ?? sampler.Sample()));
        api.MapGet("/history", (DashboardSampler sampler) => Json(sampler.HistoryJson()));
        api.MapGet("/stream", StreamAsync);
        api.MapGet("/users/{id}", UserAsync);
        api.MapGet("/model", (DashboardModelReport report) => Json(report.Json()));
        api.MapGet("/census", async (DashboardCensus census) => Json(await census.GetJsonAsync().ConfigureAwait(false)));
        api.MapGet("/experiments", async (IMicroMomentSilo silo, CancellationToken cancellationToken) => Json(ExperimentsJson(await silo.GetExperimentsAsync(cancellationToken).ConfigureAwait(false))));
        return app;
    }

    /// <summary>Where Orleans' own dashboard is mounted when the gateway runs with a silo or an Orleans client.</summary>
    public const string OrleansDashboardPath = "/orleans";

    /// <summary>
    /// Mounts Microsoft.Orleans.Dashboard at <see cref="OrleansDashboardPath"/> behind the same access as /dashboard (server key
    /// or a dashboard login): a browser without one is sent to /dashboard to log in. The host must have added the
    /// dashboard's services to its silo or Orleans client (<c>AddDashboard</c>).
    /// </summary>
    public static IEndpointRouteBuilder MapOrleansDashboardBehindLogin(this IEndpointRouteBuilder app)
    {
        app.MapOrleansDashboard(OrleansDashboardPath).AllowAnonymous().DisableRateLimiting().AddEndpointFilter(RequireReaderOrLogin);
        // The page links to it, and a login sets the session cookie for its path too.
        app.ServiceProvider.GetRequiredService<DashboardFeatures>().OrleansDashboard = OrleansDashboardPath + "/";
        return app;
    }

    private static async ValueTask<object?> RequireReaderOrLogin(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var access = context.RequestServices.GetRequiredService<DashboardAccess>();
        if (access.Check(context, out _, out _) is { } refusal)
        {
            // The dashboard's page: send the browser to log in; its data calls: the same problem+json as /dashboard/api.
            bool page = HttpMethods.IsGet(context.Request.Method) && context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.Ordinal);
            return page ? Results.Redirect("/dashboard?next=orleans") : Problems.Of(refusal.Status, refusal.Status == 401 ? "Dashboard login required" : "Server key required", refusal.Detail);
        }

        context.Response.Headers.CacheControl = "no-store";
        return await next(invocation).ConfigureAwait(false);
    }

    private static async ValueTask<object?> RequireReader(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var access = context.RequestServices.GetRequiredService<DashboardAccess>();
        if (access.Check(context, out var key, out var session) is { } refusal)
            return Problems.Of(refusal.Status, refusal.Status == 401 ? "Dashboard login required" : "Server key required", refusal.Detail);
        context.Items[typeof(GatewayKey)] = key;
        if (session is not null) context.Items[typeof(DashboardSessions)] = session;
        context.Response.Headers.CacheControl = "no-store";
        return await next(invocation).ConfigureAwait(false);
    }

    /// <summary>Largest login body, bytes: the form holds one key.</summary>
    private const int MaxLoginBodyBytes = 4096;

    private static readonly FormOptions LoginForm = new()
    {
        ValueCountLimit = 16,
        KeyLengthLimit = 64,
        ValueLengthLimit = 1024,
        MultipartBodyLengthLimit = MaxLoginBodyBytes,
        MultipartHeadersLengthLimit = 1024,
        MultipartHeadersCountLimit = 8,
        BufferBodyLengthLimit = MaxLoginBodyBytes,
    };

    private static async Task<IResult> LoginAsync(HttpContext context, DashboardAccess access)
    {
        if (!access.MayTryLogin(out var retryAfter))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Problems.Of(429, "Too many failed logins",
                $"Too many wrong keys were tried; logins are paused for {seconds} s (at most {DashboardAccess.FailedLoginsPerSecond} failed logins per second, bursts of {DashboardAccess.FailedLoginBurst}).");
        }
        const string expected = "a form (application/x-www-form-urlencoded) with one field 'key' holding a server key";
        if (!context.Request.HasFormContentType)
            return Problems.Of(415, "Login form required", $"Content-Type '{context.Request.ContentType}' is not a form; expected {expected}.");
        if (context.Request.ContentLength > MaxLoginBodyBytes)
            return Problems.Of(413, "Login form too large", $"The login form is {context.Request.ContentLength:N0} bytes; expected {expected}, at most {MaxLoginBodyBytes:N0} bytes.");
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = MaxLoginBodyBytes;
        string? secret;
        try
        {
            var form = await context.Request.ReadFormAsync(LoginForm, context.RequestAborted).ConfigureAwait(false);
            secret = form["key"].ToString().Trim();
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Problems.Of(413, "Login form too large", $"The login form is larger than {MaxLoginBodyBytes:N0} bytes; expected {expected}.");
        }
        catch (Exception ex) when (ex is InvalidDataException || (ex is IOException and not Microsoft.AspNetCore.Connections.ConnectionResetException && !context.RequestAborted.IsCancellationRequested))
        {
            // Form limits (InvalidDataException) and a multipart body that ends before its closing boundary (IOException).
            return Problems.Of(400, "Malformed login form", $"The login form could not be read ({ex.Message.TrimEnd('.')}); expected {expected}.");
        }
        if (!access.TryServerKey(secret, out var key))
        {
            access.CountFailedLogin();
            return Problems.Of(401, "Login failed", "Log in with a server key of this gateway (form field 'key'); publishable keys cannot read the dashboard.");
        }
        // A new session per login: the cookie never repeats, and logout or expiry ends exactly this login.
        var session = access.Sessions.Start(key);
        foreach (var path in CookiePaths(context))
        {
            context.Response.Cookies.Append(DashboardAccess.CookieName, session, new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Strict,
                Secure = context.Request.IsHttps,
                Path = path,
                MaxAge = access.Sessions.Lifetime,
            });
        }
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.NoContent();
    }

    /// <summary>Where the session cookie is sent: the dashboard, and Orleans' dashboard when the host mounted it (nowhere else, so never to /v1).</summary>
    private static IEnumerable<string> CookiePaths(HttpContext context)
    {
        yield return "/dashboard";
        if (context.RequestServices.GetRequiredService<DashboardFeatures>().OrleansDashboard is not null) yield return OrleansDashboardPath;
    }

    private static NoContent Logout(HttpContext context, DashboardAccess access)
    {
        if (context.Request.Cookies.TryGetValue(DashboardAccess.CookieName, out var session)) access.Sessions.End(session);
        foreach (var path in CookiePaths(context)) context.Response.Cookies.Delete(DashboardAccess.CookieName, new CookieOptions { Path = path });
        return TypedResults.NoContent();
    }

    /// <summary>Server-sent snapshots until the client goes, the gateway stops, or the session that opened it ends (logout, expiry).</summary>
    private static async Task StreamAsync(HttpContext context, DashboardSampler sampler, DashboardAccess access, IHostApplicationLifetime lifetime)
    {
        var session = context.Items[typeof(DashboardSessions)] as string;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        using var watcher = sampler.Watch();
        var body = context.Response.Body;
        try
        {
            var retry = Encoding.ASCII.GetBytes($"retry: {(int)Math.Max(1000, sampler.Interval.TotalMilliseconds)}\n\n");
            await body.WriteAsync(retry, stop.Token).ConfigureAwait(false);
            if (sampler.Latest is { } latest) await WriteEventAsync(body, latest, stop.Token).ConfigureAwait(false);
            while (!stop.IsCancellationRequested)
            {
                var next = await sampler.NextAsync().WaitAsync(stop.Token).ConfigureAwait(false);
                if (session is not null && !access.Sessions.TryGet(session, out _)) return;
                await WriteEventAsync(body, next, stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task WriteEventAsync(Stream body, byte[] json, CancellationToken cancellationToken)
    {
        await body.WriteAsync(DataPrefix, cancellationToken).ConfigureAwait(false);
        await body.WriteAsync(json, cancellationToken).ConfigureAwait(false);
        await body.WriteAsync(EventEnd, cancellationToken).ConfigureAwait(false);
        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The shopper's view (the GET /v1/users/{id} body), plus "silo" where the host registered <see cref="IClusterStatistics"/>: where Orleans says their grain is active (null when not in memory or unknown).</summary>
    private static async Task<IResult> UserAsync(string id, HttpContext context, EventIngestor ingestor, CancellationToken cancellationToken)
    {
        if (!Problems.TryValidateUserId(id, out var problem)) return problem!;
        var key = (GatewayKey)context.Items[typeof(GatewayKey)]!;
        var view = await ingestor.Silo.GetUserAsync(key.Tenant, id, cancellationToken).ConfigureAwait(false);
        if (view is null)
            return Problems.Of(404, "Unknown user", $"The silo holds nothing for user '{id}' of tenant '{key.Tenant}': no events were applied, or the user was erased or opted out.");
        var node = System.Text.Json.JsonSerializer.SerializeToNode(WireMapper.User(view, ingestor.Silo.Model, ingestor.Signals.Recent(key.Tenant, id)), GatewayJsonContext.Default.UserStateResponse)!.AsObject();
        if (context.RequestServices.GetService<IClusterStatistics>() is { } cluster)
        {
            string? silo = null;
            try
            {
                silo = await cluster.LocateAsync(key.Tenant, id, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is Orleans.Runtime.OrleansException or TimeoutException)
            {
                // The view still answers; only where the grain lives is unknown.
            }
            node["silo"] = silo;
        }
        return Json(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(node, GatewayJsonContext.Default.JsonObject));
    }

    /// <summary>The experiments report as the page reads it: the GET /v1/experiments body plus "configured" (any experiment to show).</summary>
    internal static byte[] ExperimentsJson(ExperimentsReport report)
    {
        var node = System.Text.Json.JsonSerializer.SerializeToNode(report, GatewayJsonContext.Default.ExperimentsReport)!.AsObject();
        node["configured"] = report.Experiments.Count > 0;
        return System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(node, GatewayJsonContext.Default.JsonObject);
    }

    private static IResult Json(byte[] json) => TypedResults.Bytes(json, "application/json; charset=utf-8");

    /// <summary>What the page may load and run: only its own script, style sheet and API; no framing.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static IResult Asset(string name, string contentType) => new AssetResult(DashboardAssets.Get(name), contentType);

    /// <summary>An embedded file with the dashboard's security headers.</summary>
    private sealed class AssetResult(byte[] content, string contentType) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var headers = httpContext.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.CacheControl = "no-cache";
            return TypedResults.Bytes(content, contentType).ExecuteAsync(httpContext);
        }
    }
}
