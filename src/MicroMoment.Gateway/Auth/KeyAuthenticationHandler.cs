using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MicroMoment.Gateway.Auth;

/// <summary>
/// Authenticates a request by its API key: <c>Authorization: Bearer KEY</c>, <c>X-MicroMoment-Key: KEY</c>, or
/// (publishable keys only, for browsers and WebSockets) <c>?key=KEY</c>. Answers 401 and 403 as problem+json that
/// say what was wrong and what is expected.
/// </summary>
internal sealed class KeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, KeyRegistry keys, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? secret = null;
        var fromQuery = false;
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.Length > 0)
        {
            if (!authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                return Task.FromResult(AuthenticateResult.Fail("The Authorization header must be 'Bearer <key>'."));
            secret = authorization[7..].Trim();
        }
        else if (Request.Headers.TryGetValue(GatewayPolicies.KeyHeader, out var header))
        {
            secret = header.ToString().Trim();
        }
        else if (Request.Query.TryGetValue(GatewayPolicies.KeyQuery, out var query))
        {
            secret = query.ToString();
            fromQuery = true;
        }
        if (string.IsNullOrEmpty(secret)) return Task.FromResult(AuthenticateResult.NoResult());
        if (!keys.TryFind(secret, out var key))
            return Task.FromResult(AuthenticateResult.Fail("The key is not a key of this gateway."));
        if (fromQuery && key.Kind == GatewayKeyKind.Server)
            return Task.FromResult(AuthenticateResult.Fail("Server keys must not travel in URLs (they end up in logs); send them in the Authorization header. Only publishable keys may use ?key=."));

        Context.Features.Set(new GatewayCaller(key));
        var identity = new ClaimsIdentity(
            [new Claim(GatewayPolicies.KindClaim, key.Kind == GatewayKeyKind.Server ? "server" : "publishable"), new Claim(GatewayPolicies.TenantClaim, key.Tenant)],
            GatewayPolicies.Scheme);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), GatewayPolicies.Scheme)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        var detail = result.Failure?.Message
            ?? $"This route needs an API key: send 'Authorization: Bearer <key>' or '{GatewayPolicies.KeyHeader}: <key>' (publishable keys may also use ?{GatewayPolicies.KeyQuery}=<key>).";
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, result.Failure is null ? "Missing API key" : "Invalid API key", detail).ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return WriteProblemAsync(StatusCodes.Status403Forbidden, "Server key required",
            "This route needs a server key; a publishable key may only send events (POST /v1/events and GET /v1/stream).");
    }

    private async Task WriteProblemAsync(int status, string title, string detail) =>
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail },
        }).ConfigureAwait(false);
}
