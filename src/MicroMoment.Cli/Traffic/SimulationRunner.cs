using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using MicroMoment.Client;
using MicroMoment.Data;

namespace MicroMoment.Cli.Traffic;

/// <summary>
/// Sends clearly labelled synthetic traffic (<see cref="SyntheticTraffic"/>: personas, realistic dwell gaps, carts and
/// purchases) through the gateway's WebSocket stream at a steady rate, and measures event-to-ack and event-to-offer
/// latency. The generated week is placed in the last 6.5 days so the gateway's event-age rule accepts it; events keep
/// their generated order and gaps (the rate decides how fast event time advances).
/// </summary>
internal static class SimulationRunner
{
    /// <summary>Runs the simulation.</summary>
    public static async Task<SimulationReport> RunAsync(SimulationOptions options, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var traffic = SyntheticTraffic.Generate(new SyntheticTrafficOptions
        {
            Users = options.Users,
            Seed = options.Seed,
            Start = DateTime.UtcNow.AddDays(-6.5),
            Duration = TimeSpan.FromDays(6),
        });
        using var client = new MicroMomentClient(options.Target, options.Key);
        var state = new State();
        var streams = new MicroMomentStream[options.Connections];
        try
        {
            for (var i = 0; i < streams.Length; i++) streams[i] = await client.OpenStreamAsync(onOffer: state.OfferArrived, cancellationToken: cancellationToken).ConfigureAwait(false);
            var lanes = new Channel<(ShopperEvent Event, long Due)>[streams.Length];
            for (var i = 0; i < lanes.Length; i++) lanes[i] = Channel.CreateUnbounded<(ShopperEvent, long)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            var senders = lanes.Select((lane, i) => SendLoopAsync(streams[i], lane.Reader, state, cancellationToken)).ToArray();

            var start = Stopwatch.GetTimestamp();
            var exhausted = false;
            long sent = 0;
            using (var events = traffic.GetEnumerator())
            {
                var ticks = TimeSpan.FromSeconds(1.0 / options.Rate);
                while (true)
                {
                    var elapsed = Stopwatch.GetElapsedTime(start);
                    if (elapsed >= options.Duration) break;
                    var due = (long)(elapsed.TotalSeconds * options.Rate) + 1;
                    while (sent < due)
                    {
                        if (!events.MoveNext())
                        {
                            exhausted = true;
                            break;
                        }
                        var id = string.Create(CultureInfo.InvariantCulture, $"sim{options.Seed}-{sent}");
                        if (ReplayLog.ToWire(events.Current, id) is not { } wire) continue;
                        lanes[ReplayRunner.Lane(wire.UserId, lanes.Length)].Writer.TryWrite((wire, start + (long)(sent / options.Rate * Stopwatch.Frequency)));
                        sent++;
                    }
                    if (exhausted) break;
                    progress?.Report(sent);
                    var next = TimeSpan.FromSeconds((sent + 1) / options.Rate) - Stopwatch.GetElapsedTime(start);
                    if (next > TimeSpan.FromMilliseconds(1)) await Task.Delay(next < ticks ? next : ticks, cancellationToken).ConfigureAwait(false);
                    else await Task.Yield();
                }
            }
            var sendPhase = Stopwatch.GetElapsedTime(start);
            foreach (var lane in lanes) lane.Writer.TryComplete();
            await Task.WhenAll(senders).ConfigureAwait(false);
            progress?.Report(sent);
            return new SimulationReport(sent, state.Accepted, state.NotAccepted, state.RateLimited, state.Offers, sendPhase, exhausted, state.AckLatency, state.OfferLatency);
        }
        finally
        {
            foreach (var stream in streams) if (stream is not null) await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task SendLoopAsync(MicroMomentStream stream, ChannelReader<(ShopperEvent Event, long Due)> reader, State state, CancellationToken cancellationToken)
    {
        var batch = new List<ShopperEvent>();
        var due = new List<long>();
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            batch.Clear();
            due.Clear();
            while (batch.Count < 1_000 && reader.TryRead(out var item))
            {
                batch.Add(item.Event);
                due.Add(item.Due);
            }
            IngestResult ack;
            while (true)
            {
                try
                {
                    ack = await stream.SendAsync(batch, cancellationToken).ConfigureAwait(false);
                    break;
                }
                catch (RateLimitedException ex)
                {
                    Interlocked.Increment(ref state.RateLimited);
                    await Task.Delay(ex.RetryAfter, cancellationToken).ConfigureAwait(false);
                }
            }
            var acked = Stopwatch.GetTimestamp();
            foreach (var r in ack.Results)
            {
                state.AckLatency.Add(Stopwatch.GetElapsedTime(due[r.Index], acked).TotalMilliseconds);
                if (r.Status != EventStatus.Accepted)
                {
                    Interlocked.Increment(ref state.NotAccepted);
                    continue;
                }
                Interlocked.Increment(ref state.Accepted);
                if (r.Decision?.Offer is { } offer)
                {
                    Interlocked.Increment(ref state.Offers);
                    state.OfferFired(offer.Id, due[r.Index]);
                }
            }
        }
    }

    private sealed class State
    {
        public readonly LatencySamples AckLatency = new();
        public readonly LatencySamples OfferLatency = new();
        private readonly Lock _gate = new();
        private readonly Dictionary<string, long> _arrived = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _fired = new(StringComparer.Ordinal);
        public long Accepted;
        public long NotAccepted;
        public long RateLimited;
        public long Offers;

        /// <summary>An offer arrived on a stream (it usually precedes the ack of the event that fired it).</summary>
        public void OfferArrived(Offer offer)
        {
            var now = Stopwatch.GetTimestamp();
            lock (_gate)
            {
                if (_fired.Remove(offer.Id, out var due)) OfferLatency.Add(Stopwatch.GetElapsedTime(due, now).TotalMilliseconds);
                else _arrived[offer.Id] = now;
            }
        }

        /// <summary>An ack named the offer an event fired.</summary>
        public void OfferFired(string offerId, long due)
        {
            lock (_gate)
            {
                if (_arrived.Remove(offerId, out var arrived)) OfferLatency.Add(Stopwatch.GetElapsedTime(due, arrived).TotalMilliseconds);
                else _fired[offerId] = due;
            }
        }
    }
}
