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

    /// <summary>
    /// Sets consent: {"tracking": bool, "offers": bool, "categories": [names]}. "tracking" is required, and "offers" or
    /// "categories" (or both, agreeing): "categories" is the whole set of granted categories; without it, "offers"
    /// grants exactly the offers category (true) or none (false), as before categories existed. Withdrawing tracking
    /// drops the shopper's state and signals.
    /// </summary>
    public static async Task<Results<Ok<ConsentResponse>, ProblemHttpResult>> SetConsentAsync(string id, HttpContext context, EventIngestor ingestor, IOptions<GatewayOptions> options, CancellationToken cancellationToken)
    {
        if (!Problems.TryValidateUserId(id, out var problem)) return problem!;
        var tenant = GatewayCaller.Of(context).Tenant;
        using var body = await RequestBody.ReadAsync(context.Request, Math.Min(options.Value.MaxBodyBytes, 64 * 1024), cancellationToken).ConfigureAwait(false);
        if (body is null) return Problems.Of(413, "Body too large", "A consent body is a small JSON object {\"tracking\": bool, \"offers\": bool, \"categories\": [names]}.");
        bool? tracking = null, offers = null;
        List<string>? categories = null;
        string? categoryProblem = null;
        try
        {
            using var document = JsonDocument.Parse(body.Span.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new JsonException("the body is not a JSON object");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("tracking")) tracking = Boolean(property);
                else if (property.NameEquals("offers")) offers = Boolean(property);
                else if (property.NameEquals("categories")) categories = Categories(property.Value, out categoryProblem);
            }
        }
        catch (JsonException ex)
        {
            return Problems.Of(400, "Malformed consent", $"The consent body is not usable ({ex.Message.TrimEnd('.')}); expected {{\"tracking\": true|false, \"offers\": true|false}}, optionally with \"categories\": [\"offers\", \"marketing\", ...].");
        }
        if (categoryProblem is not null) return Problems.Of(400, "Invalid consent categories", categoryProblem);
        if (tracking is null || (offers is null && categories is null))
            return Problems.Of(400, "Incomplete consent", $"The consent body must give \"tracking\" as true or false and \"offers\" as true or false (or \"categories\", the list of granted category names); missing {(tracking is null ? "tracking" : "offers")}.");
        if (offers is { } o && categories is not null && o != categories.Contains(ConsentCategories.Offers))
            return Problems.Of(400, "Conflicting consent", $"\"offers\" is {(o ? "true" : "false")} but \"categories\" {(o ? "does not include" : "includes")} \"offers\"; \"offers\" grants the offers category, so expected both to agree (or send only one of them).");
        var consent = categories is not null ? new Consent(tracking.Value, categories) : new Consent(tracking.Value, offers!.Value);
        await ingestor.Silo.SetConsentAsync(tenant, id, consent, cancellationToken).ConfigureAwait(false);
        if (!tracking.Value) ingestor.Signals.Erase(tenant, id);
        return TypedResults.Ok(new ConsentResponse(id, consent.Tracking, consent.Offers, consent.Categories));
    }

    /// <summary>Reads "categories": null (absent) or an array of valid, at most <see cref="ConsentCategories.MaxPerUser"/> distinct names.</summary>
    private static List<string>? Categories(JsonElement value, out string? problem)
    {
        problem = null;
        if (value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Array)
        {
            problem = $"\"categories\" is a JSON {value.ValueKind.ToString().ToLowerInvariant()}; expected an array of category names, each {ConsentCategories.Expected}.";
            return null;
        }
        var names = new List<string>();
        int index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                problem = $"\"categories[{index}]\" is a JSON {item.ValueKind.ToString().ToLowerInvariant()}; expected a string: {ConsentCategories.Expected}.";
                return null;
            }
            string name = item.GetString()!;
            if (ConsentCategories.Problem(name) is { } why)
            {
                problem = $"\"categories[{index}]\": {why}";
                return null;
            }
            if (!names.Contains(name)) names.Add(name);
            if (names.Count > ConsentCategories.MaxPerUser)
            {
                problem = $"\"categories\" names more than {ConsentCategories.MaxPerUser} distinct categories; expected at most {ConsentCategories.MaxPerUser}.";
                return null;
            }
            index++;
        }
        return names;
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
