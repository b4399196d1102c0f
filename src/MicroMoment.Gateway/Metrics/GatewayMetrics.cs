using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using MicroMoment.Silo;

namespace MicroMoment.Gateway.Metrics;

/// <summary>
/// The gateway's instruments: events by status, rejections by reason, HTTP request latency, WebSocket connections,
/// offer pushes, slow-client drops and rate limiting. Published through <see cref="System.Diagnostics.Metrics"/>
/// (meter <see cref="MeterName"/>) and written with the silo's statistics as Prometheus text for /metrics.
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
    private readonly ConcurrentDictionary<(string Route, string Method, int Status), LatencyHistogram> _requests = new();
    private readonly LatencyHistogram _streamMessages = new();
    private readonly LatencyHistogram _offerDelivery = new();
    private readonly Meter _meter;
    private readonly Histogram<double> _requestDuration;
    private long _connectionsOpen;
    private long _connectionsTotal;
    private long _messagesReceived;
    private long _offersPushed;
    private long _offersWithoutConnection;

    /// <summary>Creates the instruments.</summary>
    public GatewayMetrics()
    {
        _meter = new Meter(MeterName);
        _meter.CreateObservableCounter("micromoment.gateway.events", () => Statuses.Select(s => new Measurement<long>(EventsWith(s), new KeyValuePair<string, object?>("status", Wire.WireMapper.Status(s)))), "{event}", "Events answered, by status.");
        _meter.CreateObservableUpDownCounter("micromoment.gateway.websocket.connections", () => Interlocked.Read(ref _connectionsOpen), "{connection}", "Open WebSocket connections.");
        _meter.CreateObservableCounter("micromoment.gateway.offers.pushed", () => Interlocked.Read(ref _offersPushed), "{offer}", "Offers pushed to at least one open connection.");
        _requestDuration = _meter.CreateHistogram<double>("micromoment.gateway.http.request.duration", "s", "HTTP request duration.");
    }

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

    internal void ObserveStreamMessage(double seconds) => _streamMessages.Observe(seconds);

    /// <summary>Records one offer's decision-to-delivery time (the silo's hand-over to the gateway to its bytes written to a WebSocket).</summary>
    internal void ObserveOfferDelivery(double seconds) => _offerDelivery.Observe(seconds);

    /// <summary>Offers written to a WebSocket (decision-to-delivery observations).</summary>
    public long OffersDelivered => _offerDelivery.Count;

    internal void ObserveRequest(string route, string method, int status, double seconds)
    {
        _requests.GetOrAdd((route, method, status), static _ => new LatencyHistogram()).Observe(seconds);
        _requestDuration.Record(seconds, new KeyValuePair<string, object?>("http.route", route), new KeyValuePair<string, object?>("http.request.method", method), new KeyValuePair<string, object?>("http.response.status_code", status));
    }

    /// <summary>Writes the gateway's and the silo's metrics as Prometheus text.</summary>
    public string ToPrometheus(SiloStatistics silo)
    {
        var w = new PrometheusWriter();
        w.Family("micromoment_gateway_events_total", "counter", "Events answered by the gateway, by status (accepted, duplicate, rejected, opted_out, overloaded).");
        foreach (var s in Statuses) w.Sample("micromoment_gateway_events_total", EventsWith(s), ("status", Wire.WireMapper.Status(s)));
        w.Family("micromoment_gateway_drops_total", "counter", "Rejected or overloaded events answered by the gateway, by reason.");
        foreach (var (reason, count) in _rejections.Snapshot()) w.Sample("micromoment_gateway_drops_total", count, ("reason", reason));
        w.Family("micromoment_gateway_signals_total", "counter", "Tracker signals recorded, by signal name.");
        foreach (var (name, count) in _signals.Snapshot()) w.Sample("micromoment_gateway_signals_total", count, ("signal", name));
        w.Family("micromoment_gateway_rate_limited_total", "counter", "Requests (server, publishable) or WebSocket messages (stream) refused by a rate limit, and new shoppers refused by the new-shopper limits (new-shopper).");
        foreach (var (kind, count) in _rateLimited.Snapshot()) w.Sample("micromoment_gateway_rate_limited_total", count, ("kind", kind));
        w.Family("micromoment_gateway_http_request_duration_seconds", "histogram", "HTTP request duration by route, method and status (WebSocket sessions excluded).");
        foreach (var ((route, method, status), histogram) in _requests.OrderBy(p => p.Key.Route, StringComparer.Ordinal).ThenBy(p => p.Key.Method, StringComparer.Ordinal).ThenBy(p => p.Key.Status))
            WriteHistogram(w, "micromoment_gateway_http_request_duration_seconds", histogram, ("route", route), ("method", method), ("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        w.Family("micromoment_gateway_websocket_message_duration_seconds", "histogram", "WebSocket message handling: from the message's last byte read to its ack queued for sending (parse, silo, answer).");
        WriteHistogram(w, "micromoment_gateway_websocket_message_duration_seconds", _streamMessages);
        w.Family("micromoment_gateway_websocket_connections", "gauge", "Open WebSocket connections.").Sample("micromoment_gateway_websocket_connections", ConnectionsOpen);
        w.Family("micromoment_gateway_websocket_connections_total", "counter", "WebSocket connections accepted.").Sample("micromoment_gateway_websocket_connections_total", Interlocked.Read(ref _connectionsTotal));
        w.Family("micromoment_gateway_websocket_messages_total", "counter", "WebSocket messages received.").Sample("micromoment_gateway_websocket_messages_total", Interlocked.Read(ref _messagesReceived));
        w.Family("micromoment_gateway_websocket_drops_total", "counter", "WebSocket connections dropped by the gateway, by reason (slow-client, message-too-big).");
        foreach (var (reason, count) in _streamDrops.Snapshot()) w.Sample("micromoment_gateway_websocket_drops_total", count, ("reason", reason));
        w.Family("micromoment_gateway_offer_delivery_seconds", "histogram", "Decision-to-delivery latency: from the silo handing the fired offer to the gateway (on the partition worker, right after the trigger decision) to the offer's message written to the shopper's WebSocket (one observation per connection written).");
        WriteHistogram(w, "micromoment_gateway_offer_delivery_seconds", _offerDelivery);
        w.Family("micromoment_gateway_offers_pushed_total", "counter", "Offers pushed to at least one open connection of the shopper.").Sample("micromoment_gateway_offers_pushed_total", OffersPushed);
        w.Family("micromoment_gateway_offers_without_connection_total", "counter", "Offers fired for shoppers with no open connection (still returned in the HTTP answer).").Sample("micromoment_gateway_offers_without_connection_total", OffersWithoutConnection);

        w.Family("micromoment_silo_ready", "gauge", "1 while the silo accepts every event (0: see /readyz for why not).").Sample("micromoment_silo_ready", silo.Ready ? 1 : 0);
        w.Family("micromoment_silo_events_total", "counter", "Events processed by the silo, by status.");
        foreach (var (status, count) in silo.EventsByStatus.OrderBy(p => p.Key, StringComparer.Ordinal)) w.Sample("micromoment_silo_events_total", count, ("status", status));
        w.Family("micromoment_silo_events_accepted_total", "counter", "Events applied by the silo.").Sample("micromoment_silo_events_accepted_total", silo.EventsAccepted);
        w.Family("micromoment_silo_drops_total", "counter", "Events rejected or dropped by the silo, by reason.");
        foreach (var (reason, count) in silo.DropsByReason.OrderBy(p => p.Key, StringComparer.Ordinal)) w.Sample("micromoment_silo_drops_total", count, ("reason", reason));
        w.Family("micromoment_silo_offers_fired_total", "counter", "Offers fired by trigger grains.").Sample("micromoment_silo_offers_fired_total", silo.OffersFired);
        w.Family("micromoment_silo_suppressions_total", "counter", "Trigger decisions not to fire, by reason.");
        foreach (var (reason, count) in silo.SuppressionsByReason.OrderBy(p => p.Key, StringComparer.Ordinal)) w.Sample("micromoment_silo_suppressions_total", count, ("reason", reason));
        w.Family("micromoment_silo_activations", "gauge", "Grains active in memory.").Sample("micromoment_silo_activations", silo.LiveActivations);
        w.Family("micromoment_silo_unknown_time_zones_total", "counter", "Events whose context.timeZone named no known time zone (scored; the zone was ignored).").Sample("micromoment_silo_unknown_time_zones_total", silo.UnknownTimeZones);
        w.Family("micromoment_silo_activations_total", "counter", "Grain activations over the silo's life.").Sample("micromoment_silo_activations_total", silo.Activations);
        w.Family("micromoment_silo_deactivations_total", "counter", "Grain deactivations (idle or evicted) over the silo's life.").Sample("micromoment_silo_deactivations_total", silo.Deactivations);
        w.Family("micromoment_silo_queue_depth", "gauge", "Events in hand: handed to the silo's grains and not yet answered.").Sample("micromoment_silo_queue_depth", silo.QueueDepths.Sum());
        w.Family("micromoment_silo_queue_capacity", "gauge", "Most events the silo takes in at once (beyond it events are answered overloaded).").Sample("micromoment_silo_queue_capacity", silo.QueueCapacity);
        w.Family("micromoment_silo_pending_writes", "gauge", "Grain changes not yet written to grain storage (written at the next checkpoint).").Sample("micromoment_silo_pending_writes", silo.PendingWrites);
        w.Family("micromoment_silo_processing_seconds", "histogram", "Event-to-decision latency in the silo: from the event entering its partition queue to the trigger decision (accepted events and events dropped inside the silo).")
            .Histogram("micromoment_silo_processing_seconds", silo.ProcessingLatencyBuckets, silo.ProcessingLatencySum, silo.ProcessingLatencyCount);
        if (silo.Policy is { } policy) WritePolicy(w, policy);
        if (silo.Alerts.Count > 0) WriteAlerts(w, silo);
        return w.ToString();
    }

    private static void WriteAlerts(PrometheusWriter w, SiloStatistics silo)
    {
        string window = $"over the last {silo.AlertWindow.TotalMinutes:0} minutes";
        w.Family("micromoment_alert", "gauge", $"1 while a monitoring alert fires (observed value above the policy's limit {window}): offers-per-session, false-alarm-rate, trigger-latency-p99.");
        foreach (var a in silo.Alerts) w.Sample("micromoment_alert", a.Firing ? 1 : 0, ("name", a.Name));
        w.Family("micromoment_alert_observed", "gauge", $"The value each alert judges {window} (seconds for latency); NaN without data.");
        foreach (var a in silo.Alerts) w.Sample("micromoment_alert_observed", a.Observed ?? double.NaN, ("name", a.Name));
        w.Family("micromoment_alert_limit", "gauge", "Each alert's limit from the running policy's monitoring block (seconds for latency).");
        foreach (var a in silo.Alerts) w.Sample("micromoment_alert_limit", a.Limit, ("name", a.Name));
    }

    private static void WritePolicy(PrometheusWriter w, PolicyStatus policy)
    {
        w.Family("micromoment_policy_info", "gauge", "The running trigger policy: 1 for its version and source.")
            .Sample("micromoment_policy_info", 1, ("version", policy.Version), ("source", policy.Source));
        w.Family("micromoment_policy_loaded_timestamp_seconds", "gauge", "When the running policy was loaded (Unix seconds, silo clock).")
            .Sample("micromoment_policy_loaded_timestamp_seconds", policy.LoadedAt.ToUnixTimeMilliseconds() / 1000.0);
        w.Family("micromoment_policy_reloads_total", "counter", "Policy file reloads that swapped in a new policy (the initial load not counted).")
            .Sample("micromoment_policy_reloads_total", policy.Reloads);
        w.Family("micromoment_policy_reload_failures_total", "counter", "Changed policy file contents that failed to read or validate (the running policy stayed).")
            .Sample("micromoment_policy_reload_failures_total", policy.ReloadFailures);
        w.Family("micromoment_policy_reload_error", "gauge", "1 while the policy file on disk fails and differs from the running policy (GET /v1/policy has the message).")
            .Sample("micromoment_policy_reload_error", policy.LastError is null ? 0 : 1);
    }

    private static void WriteHistogram(PrometheusWriter w, string name, LatencyHistogram histogram, params (string Name, string Value)[] labels)
    {
        var cumulative = histogram.Cumulative();
        var buckets = new KeyValuePair<double, long>[cumulative.Length];
        for (var i = 0; i < cumulative.Length; i++)
            buckets[i] = KeyValuePair.Create(i < histogram.Bounds.Length ? histogram.Bounds[i] : double.PositiveInfinity, cumulative[i]);
        w.Histogram(name, buckets, histogram.Sum, cumulative[^1], labels);
    }

    /// <summary>Disposes the meter.</summary>
    public void Dispose() => _meter.Dispose();
}
