using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace MicroMoment.Gateway.Tests.Durability;

/// <summary>What an acknowledgement promises when the serve process is killed (see README, "Durability").</summary>
[Collection(ServeProcessCollection.Name)]
public sealed class CrashDurabilityTests(ITestOutputHelper output)
{
    /// <summary>The silo's checkpoint interval in serve (SiloOptions.CheckpointInterval's default).</summary>
    private static readonly TimeSpan CheckpointInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The documented allowance on top of the interval: the grain's checkpoint timer fires on its next turn, and the
    /// write itself takes time on a busy disk and on cores shared with the load generator.
    /// </summary>
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);

    private const int Shoppers = 16;

    /// <summary>How long events are sent before the kill: twice the bound, so half of them must survive.</summary>
    private static readonly TimeSpan Sending = TimeSpan.FromSeconds(4);

    [Fact]
    public Task EveryEventAcknowledgedMoreThanTheCheckpointIntervalBeforeAKillSurvivesIt() =>
        KillWhileSendingAsync([], CheckpointInterval + Margin);

    [Fact]
    public Task WithEveryEventDurabilityEveryAcknowledgedEventSurvivesAKill() =>
        KillWhileSendingAsync(["--durability", "every-event"], bound: null);

    /// <summary>
    /// Sends at a steady pace, kills serve with SIGKILL while a request is in flight, restarts it on the same directory
    /// and checks that every event acknowledged more than <paramref name="bound"/> before the kill survived (null: every
    /// acknowledged event, also one answered while the process died).
    /// </summary>
    private async Task KillWhileSendingAsync(string[] arguments, TimeSpan? bound)
    {
        var data = Directory.CreateTempSubdirectory("mm-kill9-");
        try
        {
            var acked = new List<(int Shopper, int Sequence, long AckedAt)>();
            var sent = new int[Shoppers];
            long killedAt;
            await using (var serve = await ServeProcess.StartAsync(data.FullName, arguments))
            {
                using var http = serve.Client();
                int sequence = 0;
                // The first request warms the process up (JIT, activations), so the paced part below keeps its pace.
                await SendAsync(http, sequence++, acked, sent);
                var sending = Stopwatch.StartNew();
                // A steady pace: one request every 10 ms carrying the next event of every shopper.
                while (sending.Elapsed < Sending)
                {
                    var due = TimeSpan.FromMilliseconds(10 * (sequence - 1));
                    if (due > sending.Elapsed) await Task.Delay(due - sending.Elapsed);
                    await SendAsync(http, sequence++, acked, sent);
                }

                // Kill while events keep arriving: a request is in flight when the process dies.
                var inFlight = Json.PostAsync(http, "/v1/events", new JsonArray([.. Enumerable.Range(0, Shoppers).Select(u => (JsonNode)Event(u, sequence))]).ToJsonString());
                killedAt = Stopwatch.GetTimestamp();
                await serve.KillAsync();
                try
                {
                    // Answered just before the process died: acknowledged, but well inside the window that may be lost.
                    var (response, _) = await inFlight;
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        long at = Stopwatch.GetTimestamp();
                        for (int u = 0; u < Shoppers; u++) acked.Add((u, sequence, at));
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException or System.Text.Json.JsonException)
                {
                    // The usual case: the connection died with the process.
                }
            }

            var restored = new long[Shoppers];
            await using (var again = await ServeProcess.StartAsync(data.FullName, arguments))
            {
                using var http = again.Client();
                for (int u = 0; u < Shoppers; u++)
                {
                    var (response, view) = await Json.GetAsync(http, $"/v1/users/{ShopperId(u)}");
                    if (response.StatusCode == HttpStatusCode.NotFound) continue;
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    restored[u] = (long)view!["eventsApplied"]!;
                    // A grain is written whole, so what survived is a prefix of the shopper's events: the newest event in
                    // the restored timeline is the last one counted.
                    Assert.Equal(EventId(u, (int)restored[u] - 1), (string?)view["timeline"]!.AsArray()[^1]!["eventId"]);
                    Assert.InRange(restored[u], 0, sent[u] + 1);
                }
            }

            long ticks = bound is { } b ? (long)(b.TotalSeconds * Stopwatch.Frequency) : long.MinValue;
            string promise = bound is { } shown ? string.Create(CultureInfo.InvariantCulture, $"more than {shown.TotalMilliseconds:F0} ms before the kill") : "at all";
            var lost = acked.Where(a => a.Sequence >= restored[a.Shopper]).ToList();
            var lostTooOld = lost.Where(a => killedAt - a.AckedAt > ticks).ToList();
            double oldestLostMs = lost.Count == 0 ? 0 : lost.Max(a => (killedAt - a.AckedAt) * 1000.0 / Stopwatch.Frequency);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{string.Join(' ', arguments)}: {acked.Count:N0} events acknowledged by {Shoppers} shoppers over {Sending.TotalSeconds:F0} s; {lost.Count:N0} lost on kill -9 ({100.0 * lost.Count / acked.Count:F1}%), the oldest acknowledged {oldestLostMs:F0} ms before the kill."));
            Assert.True(lostTooOld.Count == 0, string.Create(CultureInfo.InvariantCulture,
                $"{lostTooOld.Count} events acknowledged {promise} were lost (the oldest {oldestLostMs:F0} ms before it); the first: {ShopperId(lostTooOld.FirstOrDefault().Shopper)} #{lostTooOld.FirstOrDefault().Sequence}."));
            Assert.True(acked.Count(a => killedAt - a.AckedAt > Math.Max(ticks, 0)) >= Shoppers * 20,
                "too few events were acknowledged early enough before the kill for the test to say anything");
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    /// <summary>Posts the next event of every shopper and records when each was acknowledged.</summary>
    private static async Task SendAsync(HttpClient http, int sequence, List<(int Shopper, int Sequence, long AckedAt)> acked, int[] sent)
    {
        var body = new JsonArray();
        for (int u = 0; u < Shoppers; u++) body.Add(Event(u, sequence));
        var (response, answer) = await Json.PostAsync(http, "/v1/events", body.ToJsonString());
        long at = Stopwatch.GetTimestamp();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = answer!["results"]!.AsArray();
        for (int u = 0; u < Shoppers; u++)
        {
            Assert.Equal("accepted", (string?)results[u]!["status"]);
            acked.Add((u, sequence, at));
            sent[u] = sequence + 1;
        }
    }

    private static string ShopperId(int shopper) => string.Create(CultureInfo.InvariantCulture, $"crash-shopper-{shopper}");

    private static string EventId(int shopper, int sequence) => string.Create(CultureInfo.InvariantCulture, $"crash-{shopper}-{sequence}");

    private static JsonObject Event(int shopper, int sequence) => new()
    {
        ["eventId"] = EventId(shopper, sequence),
        ["userId"] = ShopperId(shopper),
        ["type"] = "view",
        ["productId"] = 1000 + (sequence % 7),
        ["categoryId"] = 2001,
        ["price"] = 10 + (sequence % 5),
    };
}
