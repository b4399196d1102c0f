using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;

namespace MicroMoment.Client;

/// <summary>
/// A streamed session on the gateway's WebSocket: <see cref="SendAsync"/> sends a batch and completes with its ack;
/// offers for the stream's shoppers arrive on <see cref="ReadOffersAsync"/> (and the optional callback). One receive
/// loop reads every message; sends are serialized. Dispose closes the connection.
/// </summary>
public sealed class MicroMomentStream : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly Action<Offer>? _onOffer;
    private readonly Channel<Offer> _offers = Channel.CreateBounded<Offer>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = false });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamReply>> _pending = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _closed = new();
    private readonly Task _receiver;
    private long _batches;

    private MicroMomentStream(ClientWebSocket socket, Action<Offer>? onOffer)
    {
        _socket = socket;
        _onOffer = onOffer;
        _receiver = ReceiveLoopAsync();
    }

    /// <summary>Offers received but not yet read with <see cref="ReadOffersAsync"/> (the oldest are dropped beyond 1,024).</summary>
    public int PendingOffers => _offers.Reader.Count;

    /// <summary>Why the stream ended, once it has (null while open).</summary>
    public Exception? Failure { get; private set; }

    internal static async Task<MicroMomentStream> ConnectAsync(Uri uri, string key, string? shopperToken, Action<Offer>? onOffer, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + key);
        if (shopperToken is { Length: > 0 }) socket.Options.SetRequestHeader(MicroMomentClient.ShopperTokenHeader, shopperToken);
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await socket.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (WebSocketException ex)
        {
            var status = (int)socket.HttpStatusCode;
            socket.Dispose();
            if (status == 429) throw new RateLimitedException("Rate limited", "The key is over its request rate; retry the connect later.", TimeSpan.FromSeconds(1));
            if (status != 0) throw new MicroMomentApiException(status, "Stream refused", $"The gateway refused the WebSocket ({ex.Message}); check the key and the address.");
            throw;
        }
        return new MicroMomentStream(socket, onOffer);
    }

    /// <summary>Sends a batch and waits for its ack (one result per event, in order). Events without an id get one.</summary>
    /// <exception cref="RateLimitedException">The connection sent more messages than it may; resend after RetryAfter.</exception>
    /// <exception cref="MicroMomentApiException">The gateway refused the whole batch (e.g. nothing parseable, too many events).</exception>
    public async Task<IngestResult> SendAsync(IReadOnlyList<ShopperEvent> events, CancellationToken cancellationToken = default)
    {
        var batch = "c" + Interlocked.Increment(ref _batches).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var reply = await RequestAsync(batch, JsonSerializer.SerializeToUtf8Bytes(new StreamEnvelope(batch, MicroMomentClient.WithIds(events)), ClientJsonContext.Default.StreamEnvelope), cancellationToken).ConfigureAwait(false);
        return reply.Ack ?? throw new MicroMomentApiException(502, "Empty ack", $"The gateway acknowledged batch {batch} without results.");
    }

    /// <summary>Reports what happened to an offer this stream received.</summary>
    public async Task<FeedbackResult> SendFeedbackAsync(string offerId, FeedbackKind feedback, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(offerId);
        var batch = "f" + Interlocked.Increment(ref _batches).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var reply = await RequestAsync(batch, JsonSerializer.SerializeToUtf8Bytes(new StreamFeedback("feedback", offerId, feedback, batch), ClientJsonContext.Default.StreamFeedback), cancellationToken).ConfigureAwait(false);
        return reply.Feedback ?? throw new MicroMomentApiException(502, "Empty feedback answer", $"The gateway answered feedback on {offerId} without an outcome.");
    }

    /// <summary>The offers for this stream's shoppers, as they arrive, until the stream closes.</summary>
    public async IAsyncEnumerable<Offer> ReadOffersAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var offer in _offers.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false)) yield return offer;
    }

    private async Task<StreamReply> RequestAsync(string batch, byte[] payload, CancellationToken cancellationToken)
    {
        var pending = new TaskCompletionSource<StreamReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[batch] = pending;
        try
        {
            if (Failure is { } failure) throw new InvalidOperationException("The stream is closed.", failure);
            await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                await _socket.SendAsync(payload, WebSocketMessageType.Text, true, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _sendLock.Release();
            }
            var reply = await pending.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (reply.Type != "error") return reply;
            var detail = reply.Detail;
            throw reply.Status == 429
                ? new RateLimitedException(reply.Title, detail, TimeSpan.FromSeconds(reply.RetryAfterSeconds ?? 1))
                : new MicroMomentApiException(reply.Status ?? 400, reply.Title, detail);
        }
        finally
        {
            _pending.TryRemove(batch, out _);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.GetMemory(8 * 1024), _closed.Token).ConfigureAwait(false);
                    buffer.Advance(result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    Failure = new WebSocketException(WebSocketError.ConnectionClosedPrematurely, $"The gateway closed the stream: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
                    break;
                }
                var reply = JsonSerializer.Deserialize(buffer.WrittenSpan, ClientJsonContext.Default.StreamReply);
                if (reply is null) continue;
                if (reply.Type == "offer" && reply.Offer is { } offer)
                {
                    _offers.Writer.TryWrite(offer);
                    _onOffer?.Invoke(offer);
                }
                else if (reply.Batch is { } batch && _pending.TryGetValue(batch, out var waiter))
                {
                    waiter.TrySetResult(reply);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or JsonException)
        {
            Failure ??= ex;
        }
        finally
        {
            Failure ??= new WebSocketException(WebSocketError.ConnectionClosedPrematurely, "The stream closed.");
            _offers.Writer.TryComplete();
            foreach (var waiter in _pending.Values) waiter.TrySetException(new InvalidOperationException("The stream closed before the gateway answered.", Failure));
        }
    }

    /// <summary>Closes the connection (normal closure) and stops the receive loop.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client closed", timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }
        _closed.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await _receiver.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _socket.Dispose();
        _closed.Dispose();
        _sendLock.Dispose();
    }
}
