using System.Text.Json;
using MicroMoment.Gateway.Auth;
using MicroMoment.Gateway.Wire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MicroMoment.Gateway.Apis;

/// <summary>
/// POST /v1/shopper-tokens (server key): mints a shopper token for a backend that would rather not sign tokens itself.
/// Body {"userId": "...", "lifetimeSeconds": 3600}; the answer is {"token", "userId", "expiresAt"}.
/// </summary>
internal static class ShopperTokensApi
{
    /// <summary>Lifetime of a minted token when the request does not say.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapShopperTokensApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/shopper-tokens", MintAsync).RequireAuthorization(GatewayPolicies.Server);
        return app;
    }

    /// <summary>Mints a token for the body's user, of the caller's tenant, living the asked lifetime (default 1 hour, at most MaxShopperTokenLifetime).</summary>
    public static async Task<Results<Ok<ShopperTokenResponse>, ProblemHttpResult>> MintAsync(HttpContext context, ShopperTokens tokens, IOptions<GatewayOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var maxLifetime = options.Value.MaxShopperTokenLifetime;
        const string expected = "a JSON object {\"userId\": \"<the shopper's id>\", \"lifetimeSeconds\": <optional, default 3600>}";
        using var body = await RequestBody.ReadAsync(context.Request, 4096, cancellationToken).ConfigureAwait(false);
        if (body is null) return Problems.Of(413, "Body too large", $"A shopper-token request is at most 4,096 bytes; expected {expected}.");
        string? userId = null;
        var lifetime = maxLifetime < DefaultLifetime ? maxLifetime : DefaultLifetime;
        try
        {
            using var document = JsonDocument.Parse(body.Span.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException($"the body is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("userId"))
                {
                    if (property.Value.ValueKind != JsonValueKind.String) return Problems.Of(400, "Invalid user id", $"\"userId\" is a JSON {property.Value.ValueKind.ToString().ToLowerInvariant()}; expected a string of 1 to {EventParser.MaxIdLength} printable characters.");
                    userId = property.Value.GetString();
                }
                else if (property.NameEquals("lifetimeSeconds"))
                {
                    if (property.Value.ValueKind != JsonValueKind.Number || !property.Value.TryGetInt64(out var seconds) || seconds < 60 || seconds > maxLifetime.TotalSeconds)
                        return Problems.Of(400, "Invalid lifetime", $"\"lifetimeSeconds\" must be a whole number of seconds from 60 to {maxLifetime.TotalSeconds:0} (MaxShopperTokenLifetime); got {property.Value.GetRawText()}.");
                    lifetime = TimeSpan.FromSeconds(seconds);
                }
            }
        }
        catch (JsonException ex)
        {
            return Problems.Of(400, "Malformed request", $"The body is not usable ({ex.Message.TrimEnd('.')}); expected {expected}.");
        }
        if (!Problems.TryValidateUserId(userId, out var problem, "userId")) return problem!;
        var tenant = GatewayCaller.Of(context).Tenant;
        var expiresAt = time.GetUtcNow() + lifetime;
        var token = tokens.Mint(ShopperTokens.ShopperKind, tenant, userId!, expiresAt);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new ShopperTokenResponse(token, userId!, DateTimeOffset.FromUnixTimeSeconds(expiresAt.ToUnixTimeSeconds())));
    }
}
