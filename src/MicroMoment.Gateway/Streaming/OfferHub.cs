using System.Collections.Concurrent;
using System.Diagnostics;
using MicroMoment.Gateway.Metrics;
using MicroMoment.Silo;

namespace MicroMoment.Gateway.Streaming;

/// <summary>
/// Routes fired offers to the open WebSocket connections of their shopper. Each routed connection is also a watch on
/// the shopper's offers (<see cref="IMicroMomentSilo.WatchAsync"/>), so the shopper's trigger grain pushes offers here
/// whichever silo it runs on, also for events that came in another way (HTTP, another gateway). <see cref="Deliver"/>
/// only looks up the shopper's connections (lock-free) and queues the offer on each, never waits; a connection whose
/// bounded queue is full is dropped instead.
/// </summary>
internal sealed partial class OfferHub(GatewayMetrics metrics, IMicroMomentSilo silo, ILogger<OfferHub> logger) : IOfferSink
{
    private readonly ConcurrentDictionary<string, StreamConnection[]> _routes = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Shoppers with at least one open connection.</summary>
    public int Shoppers => _routes.Count;

    /// <summary>Connections open for a shopper.</summary>
    public int ConnectionsOf(string tenant, string userId) => _routes.TryGetValue(UserKey.Of(tenant, userId), out var list) ? list.Length : 0;

    /// <summary>
    /// Routes the shopper's offers to <paramref name="connection"/> too. The returned task completes once the shopper's
    /// trigger grain pushes their offers to this gateway (the watch is in place), or the watch failed (logged); it never faults.
    /// </summary>
    public Task Register(string userKey, StreamConnection connection)
    {
        lock (_gate)
        {
            var list = _routes.TryGetValue(userKey, out var existing) ? existing : [];
            if (Array.IndexOf(list, connection) >= 0) return Task.CompletedTask;
            _routes[userKey] = [.. list, connection];
        }

        var (tenant, userId) = Split(userKey);
        return Watch(silo.WatchAsync(tenant, userId), "watch", userKey);
    }

    /// <summary>Stops routing the shopper's offers to <paramref name="connection"/>.</summary>
    public void Unregister(string userKey, StreamConnection connection)
    {
        lock (_gate)
        {
            if (!_routes.TryGetValue(userKey, out var list)) return;
            if (Array.IndexOf(list, connection) < 0) return;
            var rest = Array.FindAll(list, c => !ReferenceEquals(c, connection));
            if (rest.Length == 0) _routes.TryRemove(userKey, out _);
            else _routes[userKey] = rest;
        }

        var (tenant, userId) = Split(userKey);
        _ = Watch(silo.UnwatchAsync(tenant, userId), "unwatch", userKey);
    }

    private static (string Tenant, string UserId) Split(string userKey)
    {
        int cut = userKey.IndexOf('\n');
        return (userKey[..cut], userKey[(cut + 1)..]);
    }

    private Task Watch(ValueTask call, string what, string userKey) =>
        call.IsCompletedSuccessfully ? Task.CompletedTask : Completion(call.AsTask(), what, userKey);

    private async Task Completion(Task call, string what, string userKey)
    {
        try
        {
            await call.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogWatchFailed(logger, ex, what, userKey.Replace('\n', '/'));
        }
    }

    /// <inheritdoc />
    public void Deliver(Offer offer)
    {
        var delivered = 0;
        long decidedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        if (_routes.TryGetValue(UserKey.Of(offer.Tenant, offer.UserId), out var connections))
        {
            foreach (var connection in connections)
                if (connection.TryEnqueue(new Outgoing(offer, null, DecidedAt: decidedAt))) delivered++;
        }
        metrics.CountOffer(delivered);
        if (Activity.Current is { IsAllDataRequested: true } span && ReferenceEquals(span.Source, MicroMomentActivities.Source))
            span.SetTag(MicroMomentActivities.ConnectionsTag, delivered);
    }

    [LoggerMessage(EventId = 2010, Level = LogLevel.Warning, Message = "Could not {What} the offers of shopper {Shopper}; offers fired elsewhere may not reach their connection.")]
    private static partial void LogWatchFailed(ILogger logger, Exception error, string what, string shopper);
}
