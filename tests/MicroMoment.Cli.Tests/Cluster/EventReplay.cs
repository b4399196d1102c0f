using System.Diagnostics;
using System.Globalization;
using MicroMoment.Client;
using MicroMoment.Data;
using MicroMoment.Events;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// REES46 replayed through a gateway with event ids, the way a careful client sends: shoppers are spread over lanes
/// that send concurrently; within a lane (so for each shopper) events go in order, in batches, and a batch's events
/// that are not acknowledged (answered overloaded, or the request failed) are resent with the same ids before the
/// lane moves on. What the gateway acknowledged is kept per shopper and with its time in <see cref="Ledger"/>.
/// </summary>
internal sealed class EventReplay
{
    private readonly List<ShopperEvent>[] _lanes;
    private readonly int _batch;
    private readonly TimeSpan _giveUpAfter;
    private readonly TimeSpan _pause;
    private readonly bool _resend;
    private int _unacknowledged;
    private Task[] _sending = [];

    /// <param name="events">The events, in the order each shopper made them.</param>
    /// <param name="lanes">How many lanes send at once.</param>
    /// <param name="batch">Events per request.</param>
    /// <param name="giveUpAfter">How long a batch may stay unacknowledged before its lane fails.</param>
    /// <param name="pause">How long a lane waits after a batch is acknowledged before it sends the next (paces a stream that must outlast slow faults).</param>
    /// <param name="resend">
    /// True: the replay resends what the client did not get acknowledged (and counts it in <see cref="AckLedger.Resent"/>).
    /// False: each batch is handed to the client once, so whatever the client's own retries do not deliver is counted in
    /// <see cref="Unacknowledged"/> (a request that fails counts all its events) and never resent.
    /// </param>
    public EventReplay(IReadOnlyList<ShopperEvent> events, int lanes = 8, int batch = 25, TimeSpan? giveUpAfter = null, TimeSpan? pause = null, bool resend = true)
    {
        _pause = pause ?? TimeSpan.Zero;
        Events = events;
        _batch = batch;
        _resend = resend;
        _giveUpAfter = giveUpAfter ?? TimeSpan.FromSeconds(180);
        _lanes = [.. events.GroupBy(e => (uint)StringComparer.Ordinal.GetHashCode(e.UserId) % (uint)lanes).Select(g => g.ToList())];
    }

    /// <summary>The events replayed.</summary>
    public IReadOnlyList<ShopperEvent> Events { get; }

    /// <summary>What was acknowledged so far, per shopper and when.</summary>
    public AckLedger Ledger { get; } = new();

    /// <summary>Seconds since <see cref="Start"/>; the ledger's times are on this clock.</summary>
    public Stopwatch Clock { get; } = new();

    /// <summary>Events the client did not get acknowledged (overloaded, or their request failed) that the replay did not resend (<c>resend: false</c>).</summary>
    public int Unacknowledged => Volatile.Read(ref _unacknowledged);

    /// <summary>Per-event answers counted by status and reason ("accepted", "overloaded/storage-unavailable", …), resends included.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> Statuses { get; } = new(StringComparer.Ordinal);

    /// <summary>The distinct errors of requests that failed (with <c>resend: false</c>), at most 10.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>True once every lane has finished or failed.</summary>
    public bool Finished => _sending.Length > 0 && _sending.All(t => t.IsCompleted);

    /// <summary>The first <paramref name="count"/> REES46 rows of <paramref name="path"/> as client events, each with an id derived from its row.</summary>
    public static List<ShopperEvent> LoadRees46(string path, int count)
    {
        var report = new IngestReport();
        return Rees46CsvReader.Read(path, report).Take(count).Select((e, i) => new ShopperEvent
        {
            EventId = "rees46-" + i.ToString(CultureInfo.InvariantCulture),
            UserId = e.UserId,
            Type = e.Type switch
            {
                EventType.View => EventKind.View,
                EventType.Cart => EventKind.Cart,
                EventType.RemoveFromCart => EventKind.RemoveFromCart,
                _ => EventKind.Purchase,
            },
            Timestamp = new DateTimeOffset(e.Timestamp, TimeSpan.Zero),
            ProductId = e.ProductId,
            CategoryId = e.CategoryId,
            CategoryCode = e.CategoryCode,
            Brand = e.Brand,
            Price = float.IsFinite(e.Price) ? e.Price : null,
        }).ToList();
    }

    /// <summary>Starts every lane on <paramref name="client"/>; <paramref name="describe"/> adds context (process output) to a lane's failure.</summary>
    public void Start(MicroMomentClient client, Func<string> describe)
    {
        Clock.Start();
        _sending = [.. _lanes.Select(lane => SendLaneAsync(client, lane, describe))];
    }

    /// <summary>Waits until at least <paramref name="count"/> events are acknowledged; fails if the stream ends first.</summary>
    public async Task WaitAcknowledgedAsync(int count, Func<string> describe)
    {
        while (Ledger.Count < count && !Finished) await Task.Delay(20);
        if (Ledger.Count < count)
        {
            var errors = _sending.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!.Message).Distinct().Take(3);
            Assert.Fail($"The stream ended with {Ledger.Count} of {Events.Count} acknowledged, before {count}. Lane errors:\n{string.Join("\n", errors)}\n{describe()}");
        }
    }

    /// <summary>Waits until every lane has sent its last event (and had it acknowledged or rejected).</summary>
    public Task CompletionAsync() => Task.WhenAll(_sending);

    /// <summary>
    /// Reads every acknowledged shopper's state through the gateway (<c>eventsApplied</c>, kept in grain state) and
    /// compares it with what was acknowledged for them.
    /// </summary>
    public async Task<ReplayCheck> CheckAsync(MicroMomentClient client)
    {
        var acknowledged = Ledger.PerUser;
        var shoppers = new List<ShopperCheck>(acknowledged.Count);
        foreach (var (user, count) in acknowledged)
        {
            var state = await client.GetUserAsync(user);
            shoppers.Add(new ShopperCheck(user, count, state?.EventsApplied ?? 0));
        }

        return new ReplayCheck(shoppers);
    }

    /// <summary>Acknowledged events per second between <paramref name="from"/> and <paramref name="to"/> (clock seconds).</summary>
    public double Rate(double from, double to)
    {
        var times = Ledger.Times;
        return to - from <= 0 ? 0 : times.Count(t => t >= from && t < to) / (to - from);
    }

    /// <summary>The lowest acknowledged rate (events/s) of any 1 s window between <paramref name="from"/> and <paramref name="to"/> (clock seconds).</summary>
    public double LowestRate(double from, double to)
    {
        var times = Ledger.Times;
        double lowest = double.PositiveInfinity;
        for (double t = from + 1; t <= to; t += 0.1)
        {
            double start = t - 1;
            lowest = Math.Min(lowest, times.Count(x => x >= start && x < t));
        }

        return double.IsPositiveInfinity(lowest) ? Rate(from, to) : lowest;
    }

    /// <summary>
    /// The end of the first 1 s window after <paramref name="after"/> whose acknowledged rate reaches <paramref name="target"/>
    /// events/s (clock seconds); NaN when none did before <paramref name="end"/>.
    /// </summary>
    public double RecoveredAt(double after, double target, double end)
    {
        var times = Ledger.Times;
        for (double t = after + 1; t <= end; t += 0.1)
        {
            double from = t - 1;
            if (times.Count(x => x >= from && x < t) >= target) return t;
        }

        return double.NaN;
    }

    /// <summary>Sends one lane's events in batches, resending each batch's unacknowledged events until all are acknowledged or rejected.</summary>
    private async Task SendLaneAsync(MicroMomentClient client, List<ShopperEvent> lane, Func<string> describe)
    {
        await Task.Yield();
        for (int start = 0; start < lane.Count; start += _batch)
        {
            var pending = lane.Skip(start).Take(_batch).ToList();
            var deadline = Clock.Elapsed + _giveUpAfter;
            string lastAnswer = "none yet";
            while (pending.Count > 0)
            {
                Assert.True(Clock.Elapsed < deadline,
                    $"{pending.Count} events (first: {pending[0].EventId} of {pending[0].UserId}) still unacknowledged after {_giveUpAfter.TotalSeconds:0} s; the last answer: {lastAnswer}.\n{describe()}");
                IReadOnlyList<EventResult>? results;
                try
                {
                    results = (await client.SendBatchAsync(pending)).Results;
                }
                catch (OverloadedException ex)
                {
                    results = ex.Results;
                    lastAnswer = $"overloaded ({ex.Message})";
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or MicroMomentApiException)
                {
                    results = null;
                    lastAnswer = $"{ex.GetType().Name}: {ex.Message}";
                    lock (Errors)
                    {
                        if (Errors.Count < 10 && !Errors.Contains(ex.Message)) Errors.Add(ex.Message);
                    }
                }

                var again = new List<ShopperEvent>();
                for (int k = 0; k < pending.Count; k++)
                {
                    if (results is not null && results.Count == pending.Count)
                    {
                        var r = results[k];
                        string key = r.Status is EventStatus.Accepted or EventStatus.Duplicate || r.Reason is null ? r.Status.ToString() : $"{r.Status}/{r.Reason}";
                        Statuses.AddOrUpdate(key, 1, (_, n) => n + 1);
                    }

                    switch (results is null || results.Count != pending.Count ? EventStatus.Overloaded : results[k].Status)
                    {
                        case EventStatus.Accepted or EventStatus.Duplicate:
                            Ledger.Acknowledge(pending[k].UserId, Clock.Elapsed.TotalSeconds);
                            break;
                        case EventStatus.Overloaded:
                            again.Add(pending[k]);
                            break;
                        default:
                            // Rejected (invalid) or opted out: never applied, never acknowledged.
                            break;
                    }
                }

                if (again.Count > 0 && !_resend)
                {
                    Interlocked.Add(ref _unacknowledged, again.Count);
                    again.Clear();
                }

                if (again.Count > 0)
                {
                    Ledger.Resend(again.Count);
                    await Task.Delay(200);
                }

                pending = again;
            }

            if (_pause > TimeSpan.Zero) await Task.Delay(_pause);
        }
    }
}
