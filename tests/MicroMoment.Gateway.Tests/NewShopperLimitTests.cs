using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using MicroMoment.Gateway.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MicroMoment.Gateway.Tests;

/// <summary>
/// A publishable key must not let a client create shoppers without bound (each costs silo memory and disk): new
/// shoppers are capped per client address and per key per minute, however they are attempted.
/// </summary>
public sealed class NewShopperLimitTests
{
    private const int PerAddress = 5;

    private static async Task<(TestGateway Gateway, FakeTimeProvider Clock)> StartAsync(int perAddress = PerAddress, int perKey = 1_000)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var gateway = await TestGateway.StartAsync(configure: o =>
        {
            o.NewShoppersPerAddressPerMinute = perAddress;
            o.NewShoppersPerKeyPerMinute = perKey;
            o.PublishableRateLimit = new TokenBucketSettings { PerSecond = 1_000, Burst = 1_000 };
        }, configureBuilder: b => b.Services.AddSingleton<TimeProvider>(clock));
        return (gateway, clock);
    }

    private static int Shoppers(TestGateway gateway) => ((RecordingSilo)gateway.Silo).Received.Select(e => e.UserId).Distinct().Count();

    private static string Body(string eventId)
    {
        var e = Json.Event("x", eventId);
        e.Remove("userId");
        return e.ToJsonString();
    }

    [Fact]
    public async Task FreshAnonymousCookiesStopAtTheAddressLimitWith429AndRetryAfter()
    {
        var (gateway, clock) = await StartAsync();
        await using var _ = gateway;
        using var client = gateway.Client(TestGateway.PublishableKey);   // no cookie jar: every request asks for a new anonymous shopper
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        JsonNode? problem = null;

        for (var i = 0; i < 40; i++)
        {
            var (response, body) = await Json.PostAsync(client, "/v1/events", Body($"e{i}"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests && refused is null) (refused, problem) = (response, body);
        }

        Assert.Equal(Enumerable.Repeat(HttpStatusCode.OK, PerAddress).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 40 - PerAddress)), statuses);
        Assert.Equal(PerAddress, Shoppers(gateway));
        Assert.Equal("application/problem+json", refused!.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Too many new shoppers", (string?)problem!["title"]);
        Assert.Contains(nameof(GatewayOptions.NewShoppersPerAddressPerMinute), (string?)problem["detail"]);
        var retryAfter = refused.Headers.RetryAfter!.Delta!.Value;
        Assert.InRange(retryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.Equal(40 - PerAddress, gateway.Host.Metrics.RateLimited("new-shopper"));

        // The next minute of the gateway's clock admits new shoppers again.
        clock.Advance(retryAfter);
        var (later, _) = await Json.PostAsync(client, "/v1/events", Body("late"));
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        Assert.Equal(PerAddress + 1, Shoppers(gateway));
    }

    [Fact]
    public async Task AShopperKeepingItsCookieOrTokenIsCountedOnce()
    {
        var (gateway, _) = await StartAsync(perAddress: 2);
        await using var _ = gateway;
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var browser = new HttpClient(handler) { BaseAddress = gateway.Host.BaseAddress };
        using var alice = gateway.Shopper("alice");

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await Json.PostAsync(browser, $"/v1/events?key={TestGateway.PublishableKey}", Body($"c{i}"))).Response.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await Json.PostAsync(alice, "/v1/events", Body($"a{i}"))).Response.StatusCode);
        }

        Assert.Equal(2, Shoppers(gateway));
    }

    [Fact]
    public async Task TheRecordedAttackCreatesNoShoppersAndManyTokensStillStopAtTheLimit()
    {
        var (gateway, clock) = await StartAsync();
        await using var _ = gateway;
        using var publishable = gateway.Client(TestGateway.PublishableKey);
        using var withToken = gateway.Shopper("attacker");

        // 40 requests of 1,000 made-up user ids each (the attack that once made 200,000 shoppers), with a token and without.
        for (var request = 0; request < 40; request++)
        {
            var batch = new JsonArray([.. Enumerable.Range(0, 1_000).Select(i => Json.Event($"u{request}-{i}", $"e{request}-{i}"))]);
            var (response, _) = await Json.PostAsync(request % 2 == 0 ? publishable : withToken, "/v1/events", batch.ToJsonString());
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.TooManyRequests, $"request {request}: {(int)response.StatusCode}");
        }
        Assert.Equal(0, Shoppers(gateway));

        // Tokens farmed for many users (say, from a shop endpoint that mints one for anybody) are capped too.
        clock.Advance(TimeSpan.FromMinutes(1));
        var admitted = 0;
        for (var i = 0; i < 20; i++)
        {
            using var farmed = gateway.Shopper($"farmed-{i}");
            if ((await Json.PostAsync(farmed, "/v1/events", Body($"f{i}"))).Response.StatusCode == HttpStatusCode.OK) admitted++;
        }
        Assert.Equal(PerAddress, admitted);
        Assert.Equal(PerAddress, Shoppers(gateway));
    }

    [Fact]
    public async Task FreshAnonymousWebSocketsAreCappedToo()
    {
        var (gateway, _) = await StartAsync();
        await using var _ = gateway;
        var opened = 0;
        var refusedWith429 = 0;
        var sockets = new List<ClientWebSocket>();
        try
        {
            for (var i = 0; i < PerAddress + 5; i++)
            {
                var socket = new ClientWebSocket();
                socket.Options.CollectHttpResponseDetails = true;
                sockets.Add(socket);
                try
                {
                    await socket.ConnectAsync(new UriBuilder(gateway.Host.BaseAddress) { Scheme = "ws", Path = "/v1/stream", Query = $"key={TestGateway.PublishableKey}" }.Uri, CancellationToken.None);
                    await Json.SendAsync(socket, JsonNode.Parse(Body($"w{i}"))!);
                    await Json.ReceiveAsync(socket, "ack");
                    opened++;
                }
                catch (WebSocketException) when (socket.HttpStatusCode == HttpStatusCode.TooManyRequests)
                {
                    refusedWith429++;
                }
            }
        }
        finally
        {
            foreach (var socket in sockets) socket.Dispose();
        }

        Assert.Equal(PerAddress, opened);
        Assert.Equal(5, refusedWith429);
        Assert.Equal(PerAddress, Shoppers(gateway));
    }

    [Fact]
    public async Task TheDemoTokenRouteCountsNewVisitors()
    {
        var (gateway, _) = await StartAsync(perAddress: 3);
        await using var _ = gateway;
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++) statuses.Add((await gateway.Anonymous.PostAsync("/demo/shopper-token", null)).StatusCode);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public void TheKeyLimitHoldsAcrossAddressesAndIPv6IsCountedPerSlash64()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var limiter = new NewShopperLimiter(new GatewayOptions { NewShoppersPerAddressPerMinute = 2, NewShoppersPerKeyPerMinute = 5 }, clock);
        var admitted = 0;
        for (var i = 0; i < 10; i++)
            if (limiter.TryAdmitNew("pk", IPAddress.Parse($"10.0.0.{i}"), out _)) admitted++;
        Assert.Equal(5, admitted);
        Assert.False(limiter.TryAdmitNew("pk", IPAddress.Parse("10.0.1.1"), out var refusal));
        Assert.False(refusal.PerAddress);
        Assert.Equal(5, refusal.Limit);
        Assert.True(limiter.TryAdmitNew("other-pk", IPAddress.Parse("10.0.1.1"), out _));

        // Addresses of one /64 share a count; another /64 has its own.
        Assert.True(limiter.TryAdmitNew("pk6", IPAddress.Parse("2001:db8:1:2::1"), out _));
        Assert.True(limiter.TryAdmitNew("pk6", IPAddress.Parse("2001:db8:1:2:ffff::9"), out _));
        Assert.False(limiter.TryAdmitNew("pk6", IPAddress.Parse("2001:db8:1:2:abcd::3"), out refusal));
        Assert.True(refusal.PerAddress);
        Assert.True(limiter.TryAdmitNew("pk6", IPAddress.Parse("2001:db8:1:3::1"), out _));

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(limiter.TryAdmitNew("pk", IPAddress.Parse("10.0.0.0"), out _));
    }

    [Fact]
    public void ARecentlyAdmittedShopperIsFreeAndForgottenAfterTwoGenerations()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var limiter = new NewShopperLimiter(new GatewayOptions { NewShoppersPerAddressPerMinute = 1, NewShoppersPerKeyPerMinute = 100 }, clock);
        var address = IPAddress.Loopback;

        Assert.True(limiter.TryAdmit("t\nalice", "pk", address, out _));
        Assert.True(limiter.TryAdmit("t\nalice", "pk", address, out _));
        Assert.False(limiter.TryAdmit("t\nbob", "pk", address, out _));

        clock.Advance(TimeSpan.FromMinutes(25));
        Assert.True(limiter.TryAdmit("t\nbob", "pk", address, out _));
        Assert.False(limiter.TryAdmit("t\nalice", "pk", address, out _));
    }
}
