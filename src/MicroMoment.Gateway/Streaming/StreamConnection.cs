using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using MicroMoment.Gateway.Ingestion;
using MicroMoment.Gateway.Metrics;
using MicroMoment.Gateway.Wire;
using MicroMoment.Silo;

namespace MicroMoment.Gateway.Streaming;

/// <summary>
/// One WebSocket session (GET /v1/stream). The receive loop reads messages one at a time (so a shopper's events keep
/// their order), ingests them and queues an ack; offers for the connection's shoppers are queued by the
/// <see cref="OfferHub"/>. A single send loop drains the bounded queue; when it is full the client is too slow and the
/// connection is aborted, so neither the silo nor other shoppers ever wait for it.
/// </summary>
internal sealed class StreamConnection
{
    private const int FirstBufferSize = 8 * 1024;

    /// <summary>
    /// The longest the handshake, or the first events of a newly routed shopper, wait for the shopper's offer watch to be
    /// in place (the shopper's grain may live on another silo); past it they go on, and offers fired meanwhile may be missed.
    /// </summary>
    public static readonly TimeSpan WatchWait = TimeSpan.FromSeconds(5);

    private WebSocket _socket;
    private readonly GatewayKey _key;
    private readonly EventIngestor _ingestor;
    private readonly OfferHub _hub;
    private readonly GatewayMetrics _metrics;
    private readonly GatewayOptions _options;
    private readonly TimeProvider _time;
    private readonly Channel<Outgoing> _outbox;
    private readonly CancellationTokenSource _abort = new();
    private readonly HashSet<string> _users = new(StringComparer.Ordinal);
    private readonly DeliveredOffers _delivered = new(256);
    private readonly TokenBucket _bucket;
    private readonly int _maxUsers;
    private readonly string? _boundUser;
    private int _dropped;
    private int _closing;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = "bye";
    private Task _routed = Task.CompletedTask;
    private readonly ActivityLink[]? _upgrade = Activity.Current is { } opened ? [new ActivityLink(opened.Context)] : null;

    /// <summary>
    /// Creates the session for an accepted socket, or (with a null socket) for one about to be accepted: offers routed
    /// to it wait in its queue until <see cref="Attach"/> hands it the socket. A publishable-key connection is bound to
    /// <paramref name="boundUser"/>: its offers are routed here at once, and events for anyone else are refused.
    /// </summary>
    public StreamConnection(WebSocket? socket, GatewayKey key, EventIngestor ingestor, OfferHub hub, GatewayMetrics metrics, GatewayOptions options, TimeProvider time, string? boundUser = null)
    {
        if (key.Kind == GatewayKeyKind.Publishable && boundUser is null)
            throw new ArgumentException("A publishable-key connection must be bound to one shopper.", nameof(boundUser));
        _socket = socket ?? Pending.Instance;
        _key = key;
        _ingestor = ingestor;
        _hub = hub;
        _metrics = metrics;
        _options = options;
        _time = time;
        _outbox = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(options.SendQueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _bucket = new TokenBucket(MessageLimit, time);
        _maxUsers = key.Kind == GatewayKeyKind.Server ? options.MaxUsersPerServerConnection : 1;
        _boundUser = key.Kind == GatewayKeyKind.Publishable ? boundUser : null;
        if (_boundUser is not null) TryRoute(_boundUser);
    }

    /// <summary>The message rate of this connection: the server rate for a server key, the stream rate for a publishable key.</summary>
    private TokenBucketSettings MessageLimit => _key.Kind == GatewayKeyKind.Server ? _options.ServerRateLimit : _options.StreamMessageRateLimit;

    /// <summary>Queues a message; when the queue is full the client is too slow and is dropped. Never blocks.</summary>
    public bool TryEnqueue(Outgoing message)
    {
        if (_outbox.Writer.TryWrite(message)) return true;
        if (Volatile.Read(ref _closing) == 0) Drop("slow-client");
        return false;
    }

    /// <summary>
    /// Routes <paramref name="userId"/>'s offers to this connection now: called before the handshake completes (which
    /// waits for <see cref="WhenRoutedAsync"/>), so an offer decided the moment the client sees the connection open is
    /// not missed. False beyond the user limit.
    /// </summary>
    public bool Route(string userId) => TryRoute(userId);

    /// <summary>
    /// Completes once the offer watches of every shopper routed here so far are in place (or failed, which the hub logs),
    /// or after <see cref="WatchWait"/>: offers fired for them from then on reach this connection, whichever silo fires them.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask WhenRoutedAsync(CancellationToken cancellationToken)
    {
        var routed = _routed;
        if (routed.IsCompleted) return;
        try
        {
            await routed.WaitAsync(WatchWait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The watch goes on in the background; the connection works meanwhile, only offers fired before it lands are missed.
        }
    }

    /// <summary>Gives a connection created without a socket its accepted socket (before <see cref="RunAsync"/>).</summary>
    public void Attach(WebSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        if (_socket is not Pending) throw new InvalidOperationException("The connection already has its socket.");
        _socket = socket;
    }

    /// <summary>Withdraws the routes of a connection whose handshake failed (RunAsync does this for one that ran).</summary>
    public void Abandon()
    {
        Volatile.Write(ref _closing, 1);
        foreach (var user in _users) _hub.Unregister(user, this);
        _outbox.Writer.TryComplete();
    }

    /// <summary>Runs the session until the client closes, the request is aborted, the gateway stops or drops it.</summary>
    public async Task RunAsync(string? firstUser, CancellationToken requestAborted, CancellationToken stopping)
    {
        _metrics.ConnectionOpened();
        using var aborted = requestAborted.Register(static state => ((CancellationTokenSource)state!).Cancel(), _abort);
        using var stopped = stopping.Register(static state => ((StreamConnection)state!).BeginShutdown(), this);
        var sender = SendLoopAsync();
        try
        {
            if (firstUser is not null) TryRoute(firstUser);
            await ReceiveLoopAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
        finally
        {
            Volatile.Write(ref _closing, 1);
            foreach (var user in _users) _hub.Unregister(user, this);
            _outbox.Writer.TryComplete();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            using var giveUp = grace.Token.Register(static state => ((CancellationTokenSource)state!).Cancel(), _abort);
            try
            {
                await sender.ConfigureAwait(false);
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    await _socket.CloseOutputAsync(_closeStatus, _closeReason, grace.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
            }
            _metrics.ConnectionClosed();
        }
    }

    /// <summary>
    /// The gateway is stopping: queue a close frame (1001) behind what is already queued, so the client answers it and
    /// the receive loop ends cleanly. Cancelling the receive instead would abort the socket without a close handshake.
    /// A client that does not answer within two seconds is cut off.
    /// </summary>
    private void BeginShutdown()
    {
        _closeStatus = WebSocketCloseStatus.EndpointUnavailable;
        _closeReason = "the gateway is shutting down";
        Volatile.Write(ref _closing, 1);
        if (!_outbox.Writer.TryWrite(new Outgoing(null, null, Close: true))) _socket.Abort();
        _outbox.Writer.TryComplete();
        _abort.CancelAfter(TimeSpan.FromSeconds(2));
    }

    private void Drop(string reason)
    {
        if (Interlocked.Exchange(ref _dropped, 1) != 0) return;
        Volatile.Write(ref _closing, 1);
        _metrics.CountStreamDrop(reason);
        _outbox.Writer.TryComplete();
        _socket.Abort();
        _abort.Cancel();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(FirstBufferSize);
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var count = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    if (count >= Math.Min(buffer.Length, _options.MaxMessageBytes))
                    {
                        if (count >= _options.MaxMessageBytes)
                        {
                            _metrics.CountStreamDrop("message-too-big");
                            _closeStatus = WebSocketCloseStatus.MessageTooBig;
                            _closeReason = $"messages are limited to {_options.MaxMessageBytes} bytes";
                            return;
                        }
                        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, _options.MaxMessageBytes));
                        buffer.AsSpan(0, count).CopyTo(larger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }
                    var room = Math.Min(buffer.Length, _options.MaxMessageBytes) - count;
                    received = await _socket.ReceiveAsync(buffer.AsMemory(count, room), _abort.Token).ConfigureAwait(false);
                    count += received.Count;
                }
                while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

                if (received.MessageType == WebSocketMessageType.Close) return;
                _metrics.CountMessageReceived();
                if (received.MessageType == WebSocketMessageType.Binary)
                {
                    Send(Error(400, "Binary message", "The stream takes UTF-8 JSON text messages; binary messages are not read.", null));
                    continue;
                }
                await HandleAsync(buffer.AsMemory(0, count)).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async ValueTask HandleAsync(ReadOnlyMemory<byte> message)
    {
        var started = _time.GetTimestamp();
        var span = MicroMomentActivities.Source.HasListeners() ? StartMessageSpan() : null;
        try
        {
            await DispatchAsync(message).ConfigureAwait(false);
        }
        finally
        {
            span?.Stop();
        }

        _metrics.ObserveStreamMessage(_time.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>
    /// A message's span starts a trace of its own (a connection lives for hours; one trace per message keeps each
    /// event's path readable and sampled on its own), linked to the span of the request that opened the connection.
    /// </summary>
    private Activity? StartMessageSpan()
    {
        var previous = Activity.Current;
        Activity.Current = null;
        var span = MicroMomentActivities.Source.StartActivity(MicroMomentActivities.StreamMessage, ActivityKind.Server, default(ActivityContext), links: _upgrade);
        if (span is null) Activity.Current = previous;
        else if (span.IsAllDataRequested) span.SetTag(MicroMomentActivities.TenantTag, _key.Tenant);
        return span;
    }

    private async ValueTask DispatchAsync(ReadOnlyMemory<byte> message)
    {
        var inspection = MessageInspector.Inspect(message.Span);
        if (!_bucket.TryTake(out var wait))
        {
            _metrics.CountRateLimited("stream");
            var seconds = (int)Math.Ceiling(Math.Max(wait.TotalSeconds, 0.001));
            Send(Error(429, "Too many messages", $"This connection may send {MessageLimit.PerSecond} messages per second (bursts of {MessageLimit.Burst}); the message was not processed. Resend it after {seconds} s, or batch more events per message.", inspection.Batch) with { RetryAfterSeconds = seconds });
            return;
        }
        switch (inspection.Shape)
        {
            case MessageShape.Malformed:
                Send(Error(400, "Malformed message", $"{inspection.Error} Expected an event object, an array of events, {{\"batch\": id, \"events\": [...]}} or {{\"type\": \"feedback\", \"offerId\", \"feedback\"}}.", null));
                return;
            case MessageShape.Feedback:
                await FeedbackAsync(inspection).ConfigureAwait(false);
                return;
            default:
                await EventsAsync(message[inspection.Events], inspection.Batch).ConfigureAwait(false);
                return;
        }
    }

    private async ValueTask EventsAsync(ReadOnlyMemory<byte> json, string? batch)
    {
        var parsed = new List<ParsedEvent>();
        var failure = new EventParser(_key.Tenant, _time.GetUtcNow().UtcDateTime, _options, _boundUser).Parse(json.Span, BodyFormat.Json, parsed);
        if (failure is not null)
        {
            Send(Error(failure.StatusCode, failure.Title, failure.Detail, batch));
            return;
        }
        for (var i = 0; i < parsed.Count; i++)
        {
            var p = parsed[i];
            if (p.Kind != ParsedKind.Rejected && !TryRoute(p.UserId!))
                parsed[i] = ParsedEvent.Reject(RejectCodes.TooManyUsers, $"This connection already sends events for {_maxUsers} shoppers, the most one server-key connection may; open another connection for more shoppers.", p.EventId, p.UserId);
        }
        // A shopper routed by this message: their watch must be in place before their events can fire offers.
        await WhenRoutedAsync(_abort.Token).ConfigureAwait(false);
        var response = await _ingestor.IngestAsync(_key.Tenant, parsed, _abort.Token).ConfigureAwait(false);
        Send(new StreamMessage("ack", batch, Ack: response, RetryAfterSeconds: response.Overloaded > 0 ? _options.OverloadRetryAfterSeconds : null));
    }

    private async ValueTask FeedbackAsync(MessageInspector.Inspection inspection)
    {
        if (inspection.OfferId is not { Length: > 0 } wireId || !WireMapper.TryParseFeedback(inspection.Feedback, out var feedback))
        {
            Send(Error(400, "Malformed feedback", $"Feedback needs \"offerId\" (a string) and \"feedback\": shown, clicked, dismissed or converted; got offerId {(inspection.OfferId is null ? "none" : "'" + inspection.OfferId + "'")} and feedback {(inspection.Feedback is null ? "none" : "'" + inspection.Feedback + "'")}.", inspection.Batch));
            return;
        }
        if (_boundUser is not null && !await IsBoundShoppersOfferAsync(wireId).ConfigureAwait(false))
        {
            // Answered the same whether or not the offer exists, so a page cannot probe other shoppers' offers.
            Send(Error(403, "Not this shopper's offer", $"Offer '{wireId}' was not delivered on this connection and is not an open offer of the shopper it is bound to; a publishable key may only give feedback on its own shopper's offers.", inspection.Batch));
            return;
        }
        if (!OfferIds.TryFromWire(wireId, _key.Tenant, out var siloId))
        {
            Send(new StreamMessage("feedback", inspection.Batch, Feedback: new FeedbackResponse(wireId, WireMapper.Feedback(feedback), "unknown_offer")));
            return;
        }
        var outcome = await _ingestor.Silo.RecordFeedbackAsync(siloId, feedback, _time.GetUtcNow().UtcDateTime, _abort.Token).ConfigureAwait(false);
        Send(new StreamMessage("feedback", inspection.Batch, Feedback: new FeedbackResponse(wireId, WireMapper.Feedback(feedback), WireMapper.FeedbackOutcome(outcome))));
    }

    /// <summary>
    /// True when the offer reached this connection, or is an open offer of the bound shopper (delivered to an earlier
    /// connection of the same shopper, say before a reconnect).
    /// </summary>
    private async ValueTask<bool> IsBoundShoppersOfferAsync(string wireId)
    {
        if (_delivered.Contains(wireId)) return true;
        if (!OfferIds.TryFromWire(wireId, _key.Tenant, out var siloId)) return false;
        var view = await _ingestor.Silo.GetUserAsync(_key.Tenant, _boundUser!, _abort.Token).ConfigureAwait(false);
        if (view is null) return false;
        foreach (var offer in view.ActiveOffers)
            if (string.Equals(offer.Id, siloId, StringComparison.Ordinal)) return true;
        return false;
    }

    private bool TryRoute(string userId)
    {
        var key = UserKey.Of(_key.Tenant, userId);
        if (_users.Contains(key)) return true;
        if (_users.Count >= _maxUsers) return false;
        _users.Add(key);
        var watch = _hub.Register(key, this);
        if (!watch.IsCompleted) _routed = _routed.IsCompleted ? watch : Task.WhenAll(_routed, watch);
        return true;
    }

    private void Send(StreamMessage message) => TryEnqueue(new Outgoing(null, message));

    private static StreamMessage Error(int status, string title, string detail, string? batch) =>
        new("error", batch, Status: status, Title: title, Detail: detail);

    private async Task SendLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using var writer = new Utf8JsonWriter(buffer);
        try
        {
            await foreach (var item in _outbox.Reader.ReadAllAsync(_abort.Token).ConfigureAwait(false))
            {
                if (item.Close)
                {
                    await _socket.CloseOutputAsync(_closeStatus, _closeReason, _abort.Token).ConfigureAwait(false);
                    return;
                }
                var message = item.Message;
                if (item.Offer is { } offer)
                {
                    var dto = WireMapper.Offer(offer);
                    _delivered.Add(dto.Id);
                    message = new StreamMessage("offer", Offer: dto);
                }
                buffer.ResetWrittenCount();
                writer.Reset(buffer);
                JsonSerializer.Serialize(writer, message!, GatewayJsonContext.Default.StreamMessage);
                await _socket.SendAsync(buffer.WrittenMemory, WebSocketMessageType.Text, true, _abort.Token).ConfigureAwait(false);
                if (item.Offer is not null && item.DecidedAt != 0) _metrics.ObserveOfferDelivery(System.Diagnostics.Stopwatch.GetElapsedTime(item.DecidedAt).TotalSeconds);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
        {
            Drop("send-failed");
        }
    }

    /// <summary>Stands in for the socket until the handshake completes: aborting it does nothing, it is never open.</summary>
    private sealed class Pending : WebSocket
    {
        public static readonly Pending Instance = new();

        public override WebSocketCloseStatus? CloseStatus => null;

        public override string? CloseStatusDescription => null;

        public override WebSocketState State => WebSocketState.Connecting;

        public override string? SubProtocol => null;

        public override void Abort()
        {
        }

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) => Task.CompletedTask;

        public override void Dispose()
        {
        }

        public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The WebSocket handshake has not completed.");

        public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The WebSocket handshake has not completed.");
    }
}
