using System.Text.Json;
using MicroMoment.Gateway.Auth;
using MicroMoment.Gateway.Ingestion;
using MicroMoment.Gateway.Wire;
using MicroMoment.Silo;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MicroMoment.Gateway.Apis;

/// <summary>POST /v1/offers/{id}/feedback (server key): {"feedback": "shown|clicked|dismissed|converted"}.</summary>
internal static class OffersApi
{
    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapOffersApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/offers/{id}/feedback", PostFeedbackAsync).RequireAuthorization(GatewayPolicies.Server);
        return app;
    }

    /// <summary>Records feedback: 200 when recorded, 404 for an unknown offer, 409 for a transition the offer's state does not allow.</summary>
    public static async Task<Results<Ok<FeedbackResponse>, ProblemHttpResult>> PostFeedbackAsync(string id, HttpContext context, EventIngestor ingestor, TimeProvider time, CancellationToken cancellationToken)
    {
        var tenant = GatewayCaller.Of(context).Tenant;
        using var body = await RequestBody.ReadAsync(context.Request, 64 * 1024, cancellationToken).ConfigureAwait(false);
        if (body is null) return Problems.Of(413, "Body too large", "A feedback body is a small JSON object {\"feedback\": \"shown|clicked|dismissed|converted\"}.");
        string? text = null;
        try
        {
            using var document = JsonDocument.Parse(body.Span.ToArray());
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("feedback", out var value) && value.ValueKind == JsonValueKind.String)
                text = value.GetString();
        }
        catch (JsonException)
        {
        }
        if (!WireMapper.TryParseFeedback(text, out var feedback))
            return Problems.Of(400, "Invalid feedback", $"Expected a JSON body {{\"feedback\": \"shown\" | \"clicked\" | \"dismissed\" | \"converted\"}}; got {(text is null ? "no feedback string" : $"'{text}'")}.");
        if (!OfferIds.TryFromWire(id, tenant, out var siloId))
            return Problems.Of(404, "Unknown offer", $"Offer '{id}' is not an offer of tenant '{tenant}'; use the id from the offer as delivered.");
        var outcome = await ingestor.Silo.RecordFeedbackAsync(siloId, feedback, time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            FeedbackOutcome.Recorded => TypedResults.Ok(new FeedbackResponse(id, WireMapper.Feedback(feedback), WireMapper.FeedbackOutcome(outcome))),
            FeedbackOutcome.UnknownOffer => Problems.Of(404, "Unknown offer", $"No offer '{id}' is known (it may have expired or the shopper was erased)."),
            _ => Problems.Of(409, "Invalid transition", $"Offer '{id}' cannot move to '{WireMapper.Feedback(feedback)}' from its current state (e.g. clicked after dismissed); nothing changed."),
        };
    }
}
