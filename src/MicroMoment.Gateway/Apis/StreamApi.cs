using System.Net.WebSockets;
using MicroMoment.Gateway.Auth;
using MicroMoment.Gateway.Ingestion;
using MicroMoment.Gateway.Metrics;
using MicroMoment.Gateway.Streaming;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace MicroMoment.Gateway.Apis;

/// <summary>GET /v1/stream: a WebSocket on which a browser session sends events and receives acks and offers.</summary>
internal static class StreamApi
{
    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapStreamApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/stream", StreamAsync).RequireAuthorization(GatewayPolicies.Events);
        return app;
    }

    /// <summary>
    /// Accepts the WebSocket and runs the session. A server-key connection may speak for many shoppers, and
    /// <c>?userId=</c> routes that shopper's offers here before the first event. A publishable-key connection is bound
    /// to one shopper (shopper token or anonymous cookie), whose offers are routed here; <c>?userId=</c> naming anyone
    /// else is refused with 403.
    /// </summary>
    public static async Task<Results<EmptyHttpResult, ProblemHttpResult>> StreamAsync(
        HttpContext context, EventIngestor ingestor, OfferHub hub, ShopperBinder binder, GatewayMetrics metrics, IOptions<GatewayOptions> options, TimeProvider time, IHostApplicationLifetime lifetime)
    {
        if (!context.WebSockets.IsWebSocketRequest)
            return Problems.Of(400, "WebSocket required", "GET /v1/stream is a WebSocket endpoint; open it with a WebSocket client (ws:// or wss://), or POST events to /v1/events.");
        var userId = context.Request.Query["userId"].ToString();
        if (userId.Length > 0 && !Problems.TryValidateUserId(userId, out var problem, "userId")) return problem!;
        var key = GatewayCaller.Of(context).Key;
        string? bound = null;
        if (key.Kind == GatewayKeyKind.Publishable)
        {
            if (!binder.TryBind(context, key, out var shopper, out var refused)) return refused!;
            if (userId.Length > 0 && !string.Equals(userId, shopper, StringComparison.Ordinal))
                return Problems.Of(403, "Shopper not bound",
                    "?userId= names another shopper than the one this publishable-key connection is bound to (by its shopper token, or the gateway's anonymous cookie). Leave userId out, or use a server key from a backend to act for other shoppers.");
            bound = shopper;
        }
        var settings = options.Value;
        // The shopper's offers are routed here, and their offer watch is in place, before the handshake completes: a
        // client that sees the connection open and then causes an offer (say, by a server-side event through another
        // gateway or silo) must receive it. Offers wait in the queue meanwhile.
        var connection = new StreamConnection(null, key, ingestor, hub, metrics, settings, time, bound);
        if (bound is null && userId.Length > 0) connection.Route(userId);
        WebSocket socket;
        try
        {
            await connection.WhenRoutedAsync(context.RequestAborted).ConfigureAwait(false);
            socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = settings.KeepAliveInterval }).ConfigureAwait(false);
        }
        catch
        {
            connection.Abandon();
            throw;
        }
        using (socket)
        {
            connection.Attach(socket);
            await connection.RunAsync(null, context.RequestAborted, lifetime.ApplicationStopping).ConfigureAwait(false);
        }
        return TypedResults.Empty;
    }
}
