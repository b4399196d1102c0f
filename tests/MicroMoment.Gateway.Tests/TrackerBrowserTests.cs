using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace MicroMoment.Gateway.Tests;

/// <summary>The served tracker and demo shop in a real Chromium: the demo binds its visitor with a token from its own backend, the tracker without a token gets the gateway's anonymous cookie.</summary>
public sealed class TrackerBrowserTests(TrackerBrowserFixture fixture) : IClassFixture<TrackerBrowserFixture>
{
    /// <summary>A page on the gateway's origin that runs the tracker with no shopper token (anonymous mode).</summary>
    private const string AnonymousPage = """
        <!doctype html><html><head><meta charset="utf-8"><title>anonymous</title></head><body>
        <script src="/tracker.js"></script>
        <script>
          window.acks = [];
          window.offers = [];
          window.mm = MicroMoment.init({ key: "KEY", flushInterval: 20, onAck: function (ack) { window.acks.push(ack); }, onOffer: function (o) { window.offers.push(o); } });
        </script></body></html>
        """;

    [Fact]
    public async Task TheDemoShowsSvgTilesAndTracksItsVisitorWithATokenFromItsBackend()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/demo");
        await page.Locator(".card").First.WaitForAsync();

        var tiles = await page.Locator(".card").AllAsync();
        Assert.Equal(6, tiles.Count);
        foreach (var tile in tiles)
        {
            Assert.Equal(1, await tile.Locator(".art svg").CountAsync());
            var text = await tile.InnerTextAsync();
            Assert.DoesNotContain(DemoAndFaviconTests.EnumerateCodePoints(text), DemoAndFaviconTests.IsEmoji);
            Assert.True(await tile.Locator(".art svg").BoundingBoxAsync() is { Width: > 40, Height: > 40 }, "the product art is drawn at tile size");
        }
        await page.WaitForFunctionAsync("() => document.getElementById('user').textContent.startsWith('demo-')");
        var visitor = await page.TextContentAsync("#user");

        await tiles[0].ClickAsync();
        await page.ClickAsync("button[data-mm-hesitation]");
        // The tracker sends what it queued every 250 ms, so the cart may travel in a later batch than the product view
        // (always so when the two clicks are more than a flush apart, as on a loaded machine): wait for the cart itself to
        // reach the gateway, then for the page to show an ack of every event of the visitor's that the gateway took in
        // (an ack is sent once its events are applied), rather than for a fixed number of acks that the page views and
        // the product view alone can reach.
        var sent = await ReceivedUntilAsync(visitor!, events => events.Any(e => e.Type == Events.EventType.Cart), "the add-to-cart");
        Assert.Equal(
            [Events.EventType.View, Events.EventType.View, Events.EventType.View, Events.EventType.Cart], // two page views (the tracker's and the list's), the product, the cart
            sent.Select(e => e.Type));
        await page.WaitForFunctionAsync($"() => (document.getElementById('log').textContent.match(/^accepted /gm) || []).length >= {sent.Count}", null, new PageWaitForFunctionOptions { Timeout = 15_000 });

        var view = (await Json.GetAsync(fixture.Gateway.Server, $"/v1/users/{visitor}")).Body!;
        var timeline = view["timeline"]!.AsArray();
        Assert.Equal(sent.Select(e => e.EventId), timeline.Select(e => (string?)e!["eventId"]));
        Assert.Contains(timeline, e => (string?)e!["type"] == "cart" && e["categoryId"]!.GetValue<long>() == 2053013555631882655L);
        Assert.Contains(timeline, e => (string?)e!["type"] == "view" && (long)e["productId"]! == 1003461 && e["categoryId"]!.GetValue<long>() == 2053013555631882655L);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "mm_shopper");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task WithoutATokenTheTrackerIsAnAnonymousShopperThatKeepsItsIdAcrossPageLoads()
    {
        var page = await fixture.NewPageAsync();
        fixture.Pages["anonymous-shop"] = AnonymousPage.Replace("KEY", TestGateway.PublishableKey, StringComparison.Ordinal);

        await page.GotoAsync("/test-pages/anonymous-shop");
        await page.WaitForFunctionAsync("() => window.acks.length >= 1", null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "mm_shopper");
        var script = await page.EvaluateAsync<string>("() => document.cookie");
        await page.ReloadAsync();
        await page.WaitForFunctionAsync("() => window.acks.length >= 1", null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        await page.EvaluateAsync("() => { window.mm.productView({ productId: 1003461, categoryId: '2053013555631882655', price: 489.07 }); window.mm.addToCart({ productId: 1003461, price: 489.07 }); }");
        await page.WaitForFunctionAsync("() => window.offers.length >= 1", null, new PageWaitForFunctionOptions { Timeout = 15_000 });
        var offerUser = await page.EvaluateAsync<string>("() => window.offers[0].userId");

        Assert.True(cookie.HttpOnly);
        Assert.Equal("/v1", cookie.Path);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.DoesNotContain("mm_shopper", script);
        var users = fixture.Silo.Received.Where(e => e.UserId.StartsWith("anon-", StringComparison.Ordinal)).Select(e => e.UserId).Distinct().ToList();
        var user = Assert.Single(users);
        Assert.Equal(user, offerUser);
        Assert.True(fixture.Silo.Received.Count(e => e.UserId == user) >= 4, "two page views, a product view and a cart");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ThePageCannotNameItsShopper()
    {
        var page = await fixture.NewPageAsync();
        fixture.Pages["blank-shop"] = "<!doctype html><script src=\"/tracker.js\"></script>";
        await page.GotoAsync("/test-pages/blank-shop");

        var error = await page.EvaluateAsync<string>($"() => {{ try {{ MicroMoment.init({{ key: '{TestGateway.PublishableKey}', userId: 'victim' }}); return ''; }} catch (e) {{ return e.message; }} }}");

        Assert.Contains("shopperToken", error);
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// The events of <paramref name="user"/> the gateway handed to the silo, once they satisfy <paramref name="done"/>;
    /// fails naming <paramref name="what"/> and what did arrive if that takes over 15 s.
    /// </summary>
    private async Task<List<Events.ClickEvent>> ReceivedUntilAsync(string user, Func<List<Events.ClickEvent>, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var events = fixture.Silo.Received.Where(e => e.UserId == user).DistinctBy(e => e.EventId).ToList(); // a resent batch counts once
            if (done(events)) return events;
            Assert.True(DateTime.UtcNow < deadline, $"{what} of {user} did not reach the gateway within 15 s; it received: {string.Join(", ", events.Select(e => e.Type))}.");
            await Task.Delay(20);
        }
    }
}
