using System.Text.Json;
using MicroMoment.Gateway.Auth;
using MicroMoment.Gateway.Ingestion;
using MicroMoment.Gateway.Wire;
using MicroMoment.Silo;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MicroMoment.Gateway.Apis;

/// <summary>GET /v1/users/{id}, POST /v1/users/{id}/consent and DELETE /v1/users/{id} (server key).</summary>
internal static class UsersApi
{
    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/v1/users").RequireAuthorization(GatewayPolicies.Server);
        users.MapGet("/{id}", GetUserAsync);
        users.MapPost("/{id}/consent", SetConsentAsync);
        users.MapDelete("/{id}", EraseUserAsync);
        return app;
    }

    /// <summary>The live view of a shopper: session, scores with attention, cluster, intent, offers, decisions and signals.</summary>
    public static async Task<Results<Ok<UserStateResponse>, ProblemHttpResult>> GetUserAsync(string id, HttpContext context, EventIngestor ingestor, CancellationToken cancellationToken)
    {
        if (!Problems.TryValidateUserId(id, out var problem)) return problem!;
        var tenant = GatewayCaller.Of(context).Tenant;
        var view = await ingestor.Silo.GetUserAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        if (view is null)
            return Problems.Of(404, "Unknown user", $"The silo holds nothing for user '{id}' of tenant '{tenant}': no events were applied, or the user was erased or opted out.");
        return TypedResults.Ok(WireMapper.User(view, ingestor.Silo.Model, ingestor.Signals.Recent(tenant, id)));
    }

    /// <summary>Sets consent: {"tracking": bool, "offers": bool}. Withdrawing tracking drops the shopper's state and signals.</summary>
    public static async Task<Results<Ok<ConsentResponse>, ProblemHttpResult>> SetConsentAsync(string id, HttpContext context, EventIngestor ingestor, IOptions<GatewayOptions> options, CancellationToken cancellationToken)
    {
        if (!Problems.TryValidateUserId(id, out var problem)) return problem!;
        var tenant = GatewayCaller.Of(context).Tenant;
        using var body = await RequestBody.ReadAsync(context.Request, Math.Min(options.Value.MaxBodyBytes, 64 * 1024), cancellationToken).ConfigureAwait(false);
        if (body is null) return Problems.Of(413, "Body too large", "A consent body is a small JSON object {\"tracking\": bool, \"offers\": bool}.");
        bool? tracking = null, offers = null;
        try
        {
            using var document = JsonDocument.Parse(body.Span.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("the body is not a JSON object");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("tracking")) tracking = Boolean(property);
                else if (property.NameEquals("offers")) offers = Boolean(property);
            }
        }
        catch (JsonException ex)
        {
            return Problems.Of(400, "Malformed consent", $"The consent body is not usable ({ex.Message.TrimEnd('.')}); expected {{\"tracking\": true|false, \"offers\": true|false}}.");
        }
        if (tracking is null || offers is null)
            return Problems.Of(400, "Incomplete consent", $"The consent body must give both \"tracking\" and \"offers\" as true or false; missing {(tracking is null ? "tracking" : "offers")}.");
        await ingestor.Silo.SetConsentAsync(tenant, id, new Consent(tracking.Value, offers.Value), cancellationToken).ConfigureAwait(false);
        if (!tracking.Value) ingestor.Signals.Erase(tenant, id);
        return TypedResults.Ok(new ConsentResponse(id, tracking.Value, offers.Value));
    }

    /// <summary>Erases everything held about a shopper (silo state and stored rows, recorded signals).</summary>
    public static async Task<Results<Ok<EraseResponse>, ProblemHttpResult>> EraseUserAsync(string id, HttpContext context, EventIngestor ingestor, CancellationToken cancellationToken)
    {
        if (!Problems.TryValidateUserId(id, out var problem)) return problem!;
        var tenant = GatewayCaller.Of(context).Tenant;
        var erased = await ingestor.Silo.EraseUserAsync(tenant, id, cancellationToken).ConfigureAwait(false);
        var signals = ingestor.Signals.Erase(tenant, id);
        return TypedResults.Ok(new EraseResponse(id, erased, signals));
    }

    private static bool Boolean(JsonProperty property) => property.Value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new JsonException($"\"{property.Name}\" is a JSON {property.Value.ValueKind.ToString().ToLowerInvariant()}, not true or false"),
    };
}
