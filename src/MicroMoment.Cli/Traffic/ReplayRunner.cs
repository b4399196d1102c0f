using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using MicroMoment.Client;

namespace MicroMoment.Cli.Traffic;

/// <summary>
/// Streams a log through a gateway's POST /v1/events in event-time order: paced by a speed-up factor or as fast as
/// the gateway answers. Shoppers are spread over lanes by a stable hash; a lane sends its batches one after another, so
/// each shopper's events arrive in order while several requests are in flight. Overloaded events and rate-limited
/// requests are sent again (same event ids) after a pause.
/// </summary>
internal static class ReplayRunner
{
    /// <summary>Replays <paramref name="log"/>; <paramref name="onResult"/> sees every event's final answer (from lane threads).</summary>
    public static async Task<ReplayReport> RunAsync(ReplayLog log, ReplayOptions options, IProgress<long>? progress = null,
        Action<ShopperEvent, EventResult>? onResult = null, CancellationToken cancellationToken = default)
    {
        if (options.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, $"The batch size must be at least 1; got {options.BatchSize}.");
        if (options.Concurrency < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Concurrency, $"The concurrency must be at least 1; got {options.Concurrency}.");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Concurrency * 2 }) { Timeout = TimeSpan.FromMinutes(2) };
        // The replay resends overloaded events itself and counts every answer: the client's own retries would hide them.
        using var client = new MicroMomentClient(options.Target, options.Key, http) { Retry = MicroMomentRetryOptions.None };
        var state = new State(progress, onResult);
        var lanes = new Channel<ShopperEvent>[options.Concurrency];
        for (var i = 0; i < lanes.Length; i++) lanes[i] = Channel.CreateUnbounded<ShopperEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

        var start = Stopwatch.GetTimestamp();
        var workers = lanes.Select(lane => LaneAsync(client, lane.Reader, options.BatchSize, state, cancellationToken)).ToArray();
        try
        {
            var first = log.Events.Length > 0 ? log.Events[0].Timestamp!.Value : default;
            foreach (var e in log.Events)
            {
                if (options.Speed is { } speed)
                {
                    var due = TimeSpan.FromTicks((long)((e.Timestamp!.Value - first).Ticks / speed));
                    var wait = due - Stopwatch.GetElapsedTime(start);
                    if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
                lanes[Lane(e.UserId, lanes.Length)].Writer.TryWrite(e);
            }
        }
        finally
        {
            foreach (var lane in lanes) lane.Writer.TryComplete();
        }
        await Task.WhenAll(workers).ConfigureAwait(false);
        return new ReplayReport(log.Events.Length, state.Accepted, state.Duplicates, new Dictionary<string, long>(state.Rejected), state.OptedOut,
            state.OverloadRetries, state.RateLimitRetries, state.Offers, state.Requests, Stopwatch.GetElapsedTime(start), state.Latency);
    }

    /// <summary>The lane of a shopper: FNV-1a over the UTF-8 id (stable across processes).</summary>
    internal static int Lane(string userId, int lanes)
    {
        var hash = 2166136261u;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(userId) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(userId, buffer)] : Encoding.UTF8.GetBytes(userId);
        foreach (var b in bytes) hash = (hash ^ b) * 16777619u;
        return (int)(hash % (uint)lanes);
    }

    private static async Task LaneAsync(MicroMomentClient client, ChannelReader<ShopperEvent> reader, int batchSize, State state, CancellationToken cancellationToken)
    {
        var batch = new List<ShopperEvent>(batchSize);
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < batchSize && reader.TryRead(out var e)) batch.Add(e);
            await SendAsync(client, batch, state, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task SendAsync(MicroMomentClient client, List<ShopperEvent> batch, State state, CancellationToken cancellationToken)
    {
        IReadOnlyList<ShopperEvent> pending = batch;
        while (pending.Count > 0)
        {
            var sent = Stopwatch.GetTimestamp();
            IngestResult result;
            try
            {
                result = await client.SendBatchAsync(pending, cancellationToken).ConfigureAwait(false);
            }
            catch (RateLimitedException ex)
            {
                Interlocked.Increment(ref state.RateLimitRetries);
                await Task.Delay(ex.RetryAfter, cancellationToken).ConfigureAwait(false);
                continue;
            }
            catch (OverloadedException ex)
            {
                Interlocked.Add(ref state.OverloadRetries, pending.Count);
                await Task.Delay(ex.RetryAfter ?? TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                continue;
            }
            state.Latency.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            Interlocked.Increment(ref state.Requests);
            List<ShopperEvent>? retry = null;
            var answered = 0;
            foreach (var r in result.Results)
            {
                var e = pending[r.Index];
                switch (r.Status)
                {
                    case EventStatus.Overloaded:
                        (retry ??= []).Add(e);
                        continue;
                    case EventStatus.Accepted:
                        Interlocked.Increment(ref state.Accepted);
                        if (r.Decision?.Fired == true) Interlocked.Increment(ref state.Offers);
                        break;
                    case EventStatus.Duplicate: Interlocked.Increment(ref state.Duplicates); break;
                    case EventStatus.OptedOut: Interlocked.Increment(ref state.OptedOut); break;
                    default: state.Rejected.AddOrUpdate(r.Reason ?? "unknown", 1, (_, n) => n + 1); break;
                }
                answered++;
                state.OnResult?.Invoke(e, r);
            }
            state.Progress?.Report(Interlocked.Add(ref state.Answered, answered));
            if (retry is not null)
            {
                // The silo refuses the tail of a partition's events once its queue is full, so resending the refused
                // events before this lane's next batch keeps every shopper's order.
                Interlocked.Add(ref state.OverloadRetries, retry.Count);
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
            pending = (IReadOnlyList<ShopperEvent>?)retry ?? [];
        }
    }

    private sealed class State(IProgress<long>? progress, Action<ShopperEvent, EventResult>? onResult)
    {
        public readonly LatencySamples Latency = new();
        public readonly ConcurrentDictionary<string, long> Rejected = new(StringComparer.Ordinal);
        public long Accepted;
        public long Duplicates;
        public long OptedOut;
        public long OverloadRetries;
        public long RateLimitRetries;
        public long Offers;
        public long Requests;
        public long Answered;

        public IProgress<long>? Progress => progress;

        public Action<ShopperEvent, EventResult>? OnResult => onResult;
    }
}
