using System.Diagnostics.Metrics;
using MicroMoment.Silo;
using MicroMoment.Silo.Monitoring;

namespace MicroMoment.Gateway.Metrics;

/// <summary>
/// The gateway's instruments: events by status, rejections by reason, HTTP request latency, WebSocket connections,
/// offer pushes, slow-client drops and rate limiting, on the meter <see cref="MeterName"/>. Counts are kept in atomics
/// and published as observable instruments (read at collection; the per-event cost is the increment); durations are
/// histogram instruments. OpenTelemetry collects them for /metrics and OTLP, the dashboard reads them through a
/// <see cref="MeterListener"/>. HTTP request durations are ASP.NET Core's own (<c>http.server.request.duration</c>).
/// </summary>
public sealed class GatewayMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "MicroMoment.Gateway";

    private static readonly IngestStatus[] Statuses = Enum.GetValues<IngestStatus>();

    private readonly long[] _eventsByStatus = new long[Statuses.Length];
    private readonly BoundedCounterSet _rejections = new(64);
    private readonly BoundedCounterSet _signals = new(32);
    private readonly BoundedCounterSet _rateLimited = new(8);
    private readonly BoundedCounterSet _streamDrops = new(8);
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Histogram<double> _streamMessages;
    private readonly Histogram<double> _offerDelivery;
    private long _connectionsOpen;
    private long _connectionsTotal;
    private long _messagesReceived;
    private long _offersPushed;
    private long _offersWithoutConnection;
    private long _offersDelivered;

    /// <summary>Creates the instruments on a meter from <paramref name="meters"/> (null: an unscoped meter the instance disposes).</summary>
    public GatewayMetrics(IMeterFactory? meters = null)
    {
        _ownsMeter = meters is null;
        _meter = SiloMeters.Create(meters, MeterName);
        _meter.CreateObservableCounter("micromoment.gateway.events", () => Statuses.Select(s => new Measurement<long>(EventsWith(s), new KeyValuePair<string, object?>("status", Wire.WireMapper.Status(s)))), "{event}",
            "Events answered by the gateway, by status (accepted, duplicate, rejected, opted_out, overloaded).");
        _meter.CreateObservableCounter("micromoment.gateway.event.drops", () => Measurements(_rejections, "reason"), "{event}", "Rejected or overloaded events answered by the gateway, by reason.");
        _meter.CreateObservableCounter("micromoment.gateway.signals", () => Measurements(_signals, "signal"), "{signal}", "Tracker signals recorded, by signal name.");
        _meter.CreateObservableCounter("micromoment.gateway.rate_limited", () => Measurements(_rateLimited, "kind"), "{request}",
            "Requests (server, publishable) or WebSocket messages (stream) refused by a rate limit, and new shoppers refused by the new-shopper limits (new-shopper).");
        _meter.CreateObservableUpDownCounter("micromoment.gateway.websocket.connections", () => Interlocked.Read(ref _connectionsOpen), "{connection}", "Open WebSocket connections.");
        _meter.CreateObservableCounter("micromoment.gateway.websocket.connections.accepted", () => Interlocked.Read(ref _connectionsTotal), "{connection}", "WebSocket connections accepted.");
        _meter.CreateObservableCounter("micromoment.gateway.websocket.messages", () => Interlocked.Read(ref _messagesReceived), "{message}", "WebSocket messages received.");
        _meter.CreateObservableCounter("micromoment.gateway.websocket.drops", () => Measurements(_streamDrops, "reason"), "{connection}", "WebSocket connections dropped by the gateway, by reason (slow-client, message-too-big).");
        _meter.CreateObservableCounter("micromoment.gateway.offers.pushed", () => Interlocked.Read(ref _offersPushed), "{offer}", "Offers pushed to at least one open connection of the shopper.");
        _meter.CreateObservableCounter("micromoment.gateway.offers.without_connection", () => Interlocked.Read(ref _offersWithoutConnection), "{offer}", "Offers fired for shoppers with no open connection (still returned in the HTTP answer).");
        _streamMessages = SiloMeters.Duration(_meter, "micromoment.gateway.websocket.message.duration",
            "WebSocket message handling: from the message's last byte read to its ack queued for sending (parse, silo, answer).", SiloMeters.LatencyBounds);
        _offerDelivery = SiloMeters.Duration(_meter, "micromoment.gateway.offer.delivery.duration",
            "Decision-to-delivery latency: from the silo handing the fired offer to the gateway (right after the trigger decision) to the offer's message written to the shopper's WebSocket (one observation per connection written).",
            SiloMeters.LatencyBounds);
    }

    /// <summary>The gateway's meter.</summary>
    public Meter Meter => _meter;

    /// <summary>Open WebSocket connections.</summary>
    public long ConnectionsOpen => Interlocked.Read(ref _connectionsOpen);

    /// <summary>Offers pushed to at least one connection.</summary>
    public long OffersPushed => Interlocked.Read(ref _offersPushed);

    /// <summary>Offers for shoppers with no open connection.</summary>
    public long OffersWithoutConnection => Interlocked.Read(ref _offersWithoutConnection);

    /// <summary>Connections dropped, by reason (e.g. "slow-client", "message-too-big").</summary>
    public long StreamDrops(string reason) => _streamDrops.Get(reason);

    /// <summary>Events answered with <paramref name="status"/>.</summary>
    public long EventsWith(IngestStatus status) => Interlocked.Read(ref _eventsByStatus[(int)status]);

    /// <summary>Rejected or dropped events with <paramref name="reason"/>.</summary>
    public long RejectionsWith(string reason) => _rejections.Get(reason);

    /// <summary>Requests or messages refused by a rate limit of <paramref name="kind"/> (server, publishable, stream, new-shopper).</summary>
    public long RateLimited(string kind) => _rateLimited.Get(kind);

    internal void CountEvent(IngestStatus status, string? reason)
    {
        Interlocked.Increment(ref _eventsByStatus[(int)status]);
        if (status is IngestStatus.Rejected or IngestStatus.Overloaded && reason is not null) _rejections.Add(reason);
    }

    internal void CountSignal(string name) => _signals.Add(name);

    internal void CountRateLimited(string kind) => _rateLimited.Add(kind);

    internal void CountStreamDrop(string reason) => _streamDrops.Add(reason);

    internal void CountMessageReceived() => Interlocked.Increment(ref _messagesReceived);

    internal void ConnectionOpened()
    {
        Interlocked.Increment(ref _connectionsOpen);
        Interlocked.Increment(ref _connectionsTotal);
    }

    internal void ConnectionClosed() => Interlocked.Decrement(ref _connectionsOpen);

    internal void CountOffer(int connections)
    {
        if (connections > 0) Interlocked.Increment(ref _offersPushed);
        else Interlocked.Increment(ref _offersWithoutConnection);
    }

    internal void ObserveStreamMessage(double seconds) => _streamMessages.Record(seconds);

    /// <summary>Records one offer's decision-to-delivery time (the silo's hand-over to the gateway to its bytes written to a WebSocket).</summary>
    internal void ObserveOfferDelivery(double seconds)
    {
        Interlocked.Increment(ref _offersDelivered);
        _offerDelivery.Record(seconds);
    }

    /// <summary>Offers written to a WebSocket (decision-to-delivery observations).</summary>
    public long OffersDelivered => Interlocked.Read(ref _offersDelivered);

    private static IEnumerable<Measurement<long>> Measurements(BoundedCounterSet set, string tag) =>
        set.Snapshot().Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>(tag, p.Key)));

    /// <summary>Disposes the meter when this instance created it (a factory's meters go with their factory).</summary>
    public void Dispose()
    {
        if (_ownsMeter) _meter.Dispose();
    }
}
