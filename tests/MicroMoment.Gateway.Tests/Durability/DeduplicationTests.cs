using System.Net;
using System.Text.Json.Nodes;
using MicroMoment.Client;
using MicroMoment.Silo;
using Microsoft.Playwright;

namespace MicroMoment.Gateway.Tests.Durability;

/// <summary>
/// The de-duplication guarantee (README, "De-duplication"): a retried id is recognized while it is among the shopper's
/// last <see cref="SiloOptions.DedupCapacity"/> ids, and forever when it carries its original timestamp; the project's
/// clients always resend with the original id and timestamp.
/// </summary>
public sealed class DeduplicationTests
{
    private static readonly int Window = new SiloOptions().DedupCapacity;

    [Fact]
    public async Task AnIdRetriedWithoutATimestampAfterFortyMoreEventsIsNotAppliedAgain()
    {
        await using var gateway = await TestGateway.StartAsync();
        Assert.Equal("accepted", await PostAsync(gateway, Untimed("x")));
        for (int i = 0; i < 40; i++) Assert.Equal("accepted", await PostAsync(gateway, Untimed($"later-{i}")));

        Assert.Equal("duplicate", await PostAsync(gateway, Untimed("x")));

        var (_, view) = await Json.GetAsync(gateway.Server, "/v1/users/dedup-shopper");
        Assert.Equal(41, (long)view!["eventsApplied"]!);
        Assert.Equal(1, (long)view["duplicatesDropped"]!);
    }

    [Fact]
    public async Task AnIdRetriedWithoutATimestampIsRecognizedAnywhereInTheWindow()
    {
        await using var gateway = await TestGateway.StartAsync();
        Assert.Equal("accepted", await PostAsync(gateway, Untimed("first")));
        await PostBatchAsync(gateway, [.. Enumerable.Range(0, Window - 1).Select(i => Untimed($"fill-{i}"))]);

        // "first" is now the oldest of the shopper's last Window ids.
        Assert.Equal("duplicate", await PostAsync(gateway, Untimed("first")));
    }

    [Fact]
    public async Task AnIdRetriedWithItsOriginalTimestampIsRecognizedFarBeyondTheWindow()
    {
        await using var gateway = await TestGateway.StartAsync();
        var start = DateTime.UtcNow.AddMinutes(-20);
        var original = Json.Event("dedup-shopper", "x", at: start);
        Assert.Equal("accepted", await PostAsync(gateway, original.DeepClone()));
        await PostBatchAsync(gateway, [.. Enumerable.Range(1, Window + 50).Select(i => Json.Event("dedup-shopper", $"later-{i}", at: start.AddSeconds(i)))]);

        var (_, answer) = await Json.PostAsync(gateway.Server, "/v1/events", original.ToJsonString());

        Assert.Equal("duplicate", (string?)answer!["results"]![0]!["status"]);
        Assert.Equal("late-duplicate", (string?)answer["results"]![0]!["reason"]);
    }

    [Fact]
    public async Task TheDotNetClientResendsAnEventWithItsOriginalIdAndTimestamp()
    {
        var silo = await RecordingSilo.StartAsync();
        await using var gateway = await TestGateway.StartAsync(silo);
        using var client = new MicroMomentClient(gateway.Host.BaseAddress, TestGateway.ServerKey);
        // Built once, without an id or a timestamp, as an application would; then sent, and later sent again (a retry
        // after a lost answer) when far more than the id window of the shopper's events came in between.
        var view = new ShopperEvent { UserId = "client-shopper", Type = EventKind.View, ProductId = 1001, Price = 20 };

        var first = await client.SendAsync(view);
        for (int sent = 0; sent < Window + 50; sent += 100)
            await client.SendBatchAsync([.. Enumerable.Range(0, 100).Select(_ => new ShopperEvent { UserId = "client-shopper", Type = EventKind.View, ProductId = 1002 })]);
        var retry = await client.SendAsync(view);

        Assert.Equal(EventStatus.Accepted, first.Results[0].Status);
        Assert.Equal(EventStatus.Duplicate, retry.Results[0].Status);
        var deliveries = silo.Received.Where(e => e.EventId == view.EventId).ToList();
        Assert.Equal(2, deliveries.Count);
        Assert.Equal(view.Timestamp!.Value.UtcDateTime, deliveries[0].Timestamp, TimeSpan.FromMilliseconds(1));
        Assert.Equal(deliveries[0].Timestamp, deliveries[1].Timestamp);
    }

    [Fact]
    public async Task TheBrowserTrackerResendsAnOverloadedEventWithItsOriginalIdAndTimestamp()
    {
        var silo = await RecordingSilo.StartAsync();
        await using var gateway = await TestGateway.StartAsync(silo);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = gateway.Host.BaseAddress.ToString() });
        await page.GotoAsync("/healthz");
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Url = "/tracker.js" });

        silo.Saturated = true; // the first delivery is answered overloaded (Retry-After 1 s)
        await page.EvaluateAsync(
            "args => { window.mm = MicroMoment.init({ key: args[0], shopperToken: args[1], pageView: false, flushInterval: 20, onOffer: function () {} }); window.mm.productView({ productId: 1001, price: 20 }); }",
            new[] { TestGateway.PublishableKey, TestGateway.ShopperToken("tracker-shopper") });
        await WaitUntilAsync(() => silo.Received.Count(e => e.UserId == "tracker-shopper") >= 1);
        silo.Saturated = false;
        await WaitUntilAsync(() => silo.Received.Count(e => e.UserId == "tracker-shopper") >= 2);
        await WaitUntilAsync(async () => (await gateway.Server.GetAsync("/v1/users/tracker-shopper")).StatusCode == HttpStatusCode.OK);

        var deliveries = silo.Received.Where(e => e.UserId == "tracker-shopper").ToList();
        Assert.All(deliveries, d => Assert.Equal(deliveries[0].EventId, d.EventId));
        Assert.All(deliveries, d => Assert.Equal(deliveries[0].Timestamp, d.Timestamp));
        var (_, view) = await Json.GetAsync(gateway.Server, "/v1/users/tracker-shopper");
        Assert.Equal(1, (long)view!["eventsApplied"]!);
    }

    private static JsonObject Untimed(string eventId)
    {
        var e = Json.Event("dedup-shopper", eventId);
        e.Remove("timestamp");
        return e;
    }

    private static async Task<string?> PostAsync(TestGateway gateway, JsonNode e)
    {
        var (response, answer) = await Json.PostAsync(gateway.Server, "/v1/events", e.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (string?)answer!["results"]![0]!["status"];
    }

    private static async Task PostBatchAsync(TestGateway gateway, JsonNode[] events)
    {
        var (response, answer) = await Json.PostAsync(gateway.Server, "/v1/events", new JsonArray(events).ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(events.Length, (int)answer!["accepted"]!);
    }

    private static Task WaitUntilAsync(Func<bool> condition) => WaitUntilAsync(() => Task.FromResult(condition()));

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true within 30 s");
            await Task.Delay(50);
        }
    }
}
