using System.Globalization;
using System.Text.Json;
using MicroMoment.Client;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// Two silos and a gateway process (Azurite, every-event durability). While the .NET client replays REES46 with event ids
/// and the browser tracker (the gateway's own tracker.js in Chromium) records views over its WebSocket, the gateway is
/// killed with SIGKILL and a new one started on the same port (a restarted pod behind a stable address). The client's
/// own retries and the tracker's reconnect must deliver every event: the replay never resends, nothing acknowledged is
/// lost, nothing is applied twice. Prints the outage and recovery times (docs/cluster.md).
/// </summary>
[Collection(ClusterFaultCollection.Name)]
public sealed class GatewayRestartTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private const string ServerKey = "mm_sk_gateway_restart_test_0001";
    private const string PublishableKey = "mm_pk_gateway_restart_test_0001";
    private const int Events = 2_000;
    private const int TrackerEvents = 120;

    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    [Fact]
    public async Task AGatewayKilledAndRestartedOnItsAddressLosesNothingTheClientAndTrackerSent()
    {
        string clusterId = "gw-" + Guid.NewGuid().ToString("N")[..8];
        var gatewayEnvironment = new Dictionary<string, string> { ["MICROMOMENT_PUBLISHABLE_KEY"] = PublishableKey };
        using var cluster = new TestCluster(AzureClusterEnvironment.Create(azurite.ConnectionString, clusterId));
        await cluster.StartSilosAsync(2);
        var gateway = await cluster.StartGatewayAsync(ServerKey, gatewayEnvironment);
        string Describe() => $"Gateway outputs:\n{string.Join("\n---\n", cluster.Gateways.Select(g => g.Process.Output))}\nSilo outputs:\n{cluster.SiloOutputs()}";

        // The client's own retries (not the replay) must ride out the restart; on a loaded 2-core box that can take tens of seconds.
        using var client = new MicroMomentClient(gateway.Http, ServerKey, new HttpClient { Timeout = TimeSpan.FromSeconds(30) })
        {
            Retry = new MicroMomentRetryOptions { MaxRetryAttempts = 60, BaseDelay = TimeSpan.FromMilliseconds(200), MaxDelay = TimeSpan.FromSeconds(2) },
        };

        // The tracker in a real Chromium, on a page of the gateway's origin, bound to one shopper by a token minted offline.
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ChromiumArgs });
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(gateway.Http, "healthz").ToString());
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Url = "/tracker.js" });
        string shopper = "tracker-" + clusterId;
        string token = client.CreateShopperToken(shopper, TimeSpan.FromHours(1));
        await page.EvaluateAsync($$"""
            () => {
              window.recorded = []; window.acked = {}; window.rejected = [];
              window.mm = MicroMoment.init({ key: {{JsonSerializer.Serialize(PublishableKey)}}, shopperToken: {{JsonSerializer.Serialize(token)}},
                endpoint: location.origin, autoTrack: false, flushInterval: 50, onOffer: function () {},
                onAck: function (ack) { (ack.results || []).forEach(function (r) {
                  if (r.status === "accepted" || r.status === "duplicate") window.acked[r.eventId] = r.status; else if (r.status !== "overloaded") window.rejected.push(r); }); } });
              window.tick = setInterval(function () {
                if (window.recorded.length >= {{TrackerEvents}}) { clearInterval(window.tick); return; }
                window.recorded.push(window.mm.track("view", { productId: 1003461 + window.recorded.length, categoryId: "2053013555631882655", price: 489.07 }));
              }, 100);
            }
            """);

        var replay = new EventReplay(EventReplay.LoadRees46(RepositoryPaths.Rees46Head, Events), resend: false);
        replay.Start(client, Describe);
        await replay.WaitAcknowledgedAsync(Events / 3, Describe);
        await page.WaitForFunctionAsync("() => Object.keys(window.acked).length >= 5", null, new PageWaitForFunctionOptions { Timeout = 60_000 });

        gateway.Process.KillHard();
        double killedAt = replay.Clock.Elapsed.TotalSeconds;
        int ackedAtKill = replay.Ledger.Count;
        int trackerAckedAtKill = await page.EvaluateAsync<int>("() => Object.keys(window.acked).length");
        var restarted = await cluster.RestartGatewayAsync(gateway, ServerKey, gatewayEnvironment);
        double readyAt = replay.Clock.Elapsed.TotalSeconds;

        await replay.CompletionAsync();
        double streamEnd = replay.Clock.Elapsed.TotalSeconds;
        Assert.True(replay.Ledger.Count > ackedAtKill, "nothing was acknowledged after the kill");
        // The tracker: every recorded event acknowledged (after the restart too), none refused, nothing left in its queue.
        await page.WaitForFunctionAsync(
            $"() => window.recorded.length >= {TrackerEvents} && window.recorded.every(function (id) {{ return window.acked[id]; }}) && Object.keys(window.mm.inflight).length === 0 && window.mm.queue.length === 0",
            null, new PageWaitForFunctionOptions { Timeout = 120_000, PollingInterval = 200 });
        var trackerIds = await page.EvaluateAsync<string[]>("() => window.recorded");
        var trackerAcked = await page.EvaluateAsync<Dictionary<string, string>>("() => window.acked");
        var rejected = await page.EvaluateAsync<JsonElement>("() => window.rejected");
        double trackerDoneAt = replay.Clock.Elapsed.TotalSeconds;

        var check = await replay.CheckAsync(client);
        var trackerState = await client.GetUserAsync(shopper);
        double baseline = replay.Rate(1, killedAt);
        double recovered = replay.RecoveredAt(readyAt, baseline * 0.8, streamEnd);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"events={Events} users={check.Shoppers.Count} acknowledged={check.Acknowledged} applied={check.Applied} unacknowledged={replay.Unacknowledged} killed_at={killedAt:0.00}s acked_at_kill={ackedAtKill} new_gateway_ready_after={readyAt - killedAt:0.00}s rate_before={baseline:0}/s rate_back_after_ready={recovered - readyAt:0.00}s stream={streamEnd:0.0}s " +
            $"tracker_recorded={trackerIds.Length} tracker_acked_at_kill={trackerAckedAtKill} tracker_acked={trackerAcked.Count} tracker_duplicates={trackerAcked.Values.Count(v => v == "duplicate")} tracker_applied={trackerState?.EventsApplied} tracker_done_after_ready={trackerDoneAt - readyAt:0.00}s"));

        Assert.True(restarted.Http == gateway.Http, "the new gateway listens where the old one did");
        Assert.True(replay.Unacknowledged == 0, $"The client gave up on {replay.Unacknowledged} events across the restart: {string.Join(" | ", replay.Errors)}");
        var mismatches = check.Mismatches.ToList();
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} shoppers' state differs from what was acknowledged (lost {check.Lost}, applied twice {check.AppliedTwice}):\n{string.Join('\n', mismatches.Take(20))}");
        Assert.Equal(replay.Ledger.Count, check.Applied);
        Assert.True(replay.Ledger.Count > Events * 9 / 10, $"Only {replay.Ledger.Count} of {Events} events were acknowledged; expected nearly all (the rest rejected as invalid).");
        Assert.Equal(0, rejected.GetArrayLength());
        Assert.Equal(TrackerEvents, trackerIds.Distinct().Count());
        Assert.Equal(TrackerEvents, trackerAcked.Count);
        Assert.True(trackerAckedAtKill < TrackerEvents, "the tracker was still recording when the gateway died");
        Assert.NotNull(trackerState);
        Assert.Equal(TrackerEvents, trackerState.EventsApplied);
    }
}
