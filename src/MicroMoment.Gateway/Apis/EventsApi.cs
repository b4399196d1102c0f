using System.Globalization;
using MicroMoment.Gateway.Auth;
using MicroMoment.Gateway.Ingestion;
using MicroMoment.Gateway.Wire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MicroMoment.Gateway.Apis;

/// <summary>POST /v1/events: one event, a JSON array of events, or NDJSON; answered per event, in order.</summary>
internal static class EventsApi
{
    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/events", PostEventsAsync).RequireAuthorization(GatewayPolicies.Events);
        return app;
    }

    /// <summary>
    /// Parses the body, ingests what is valid and answers one result per event. A publishable-key caller is bound to one
    /// shopper first (shopper token or anonymous cookie) and may send events for that shopper only.
    /// </summary>
    public static async Task<Results<Ok<EventBatchResponse>, ProblemHttpResult>> PostEventsAsync(
        HttpContext context, EventIngestor ingestor, ShopperBinder binder, IOptions<GatewayOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var caller = GatewayCaller.Of(context);
        if (!TryFormat(context.Request.ContentType, out var format))
            return Problems.Of(415, "Unsupported content type",
                $"Content-Type '{context.Request.ContentType}' is not accepted; send application/json (an event object or an array of events) or application/x-ndjson (one event object per line).");
        string? bound = null;
        if (caller.Kind == GatewayKeyKind.Publishable)
        {
            if (!binder.TryBind(context, caller.Key, out var userId, out var refused)) return refused!;
            bound = userId;
        }

        var parsed = new List<ParsedEvent>();
        using (var body = await RequestBody.ReadAsync(context.Request, settings.MaxBodyBytes, cancellationToken).ConfigureAwait(false))
        {
            if (body is null)
                return Problems.Of(413, "Body too large", $"The body is larger than {settings.MaxBodyBytes:N0} bytes; split the events into smaller batches.");
            var failure = new EventParser(caller.Tenant, time.GetUtcNow().UtcDateTime, settings, bound).Parse(body.Span, format, parsed);
            if (failure is not null) return Problems.Of(failure.StatusCode, failure.Title, failure.Detail);
        }

        var response = await ingestor.IngestAsync(caller.Tenant, parsed, cancellationToken).ConfigureAwait(false);
        if (response.Overloaded > 0)
        {
            context.Response.Headers.RetryAfter = settings.OverloadRetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
            if (response.Accepted + response.Duplicate + response.OptedOut == 0)
                return Problems.Of(503, "Overloaded",
                    $"The silo's queues are full; {response.Overloaded} event(s) were not applied. Retry them after {settings.OverloadRetryAfterSeconds} s (same event ids; duplicates are dropped).",
                    new Dictionary<string, object?> { ["results"] = response.Results.ToArray() });
        }
        return TypedResults.Ok(response);
    }

    private static bool TryFormat(string? contentType, out BodyFormat format)
    {
        format = BodyFormat.Json;
        if (string.IsNullOrEmpty(contentType)) return true;
        var media = contentType.AsSpan();
        var semicolon = media.IndexOf(';');
        if (semicolon >= 0) media = media[..semicolon];
        media = media.Trim();
        if (media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.Equals("text/plain", StringComparison.OrdinalIgnoreCase)) return true;
        if (media.Equals("application/x-ndjson", StringComparison.OrdinalIgnoreCase) || media.Equals("application/ndjson", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/jsonl", StringComparison.OrdinalIgnoreCase))
        {
            format = BodyFormat.Ndjson;
            return true;
        }
        return false;
    }
}
