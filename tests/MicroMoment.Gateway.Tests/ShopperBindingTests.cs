using System.Net;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using MicroMoment.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace MicroMoment.Gateway.Tests;

/// <summary>
/// A publishable key is public: whoever holds it must act for one shopper only (the token's, or an anonymous one of the
/// gateway's choosing), never read or steer another shopper's scores and offers.
/// </summary>
public sealed class ShopperBindingTests : IAsyncLifetime
{
    private const string Victim = "victim-42";
    private TestGateway _gateway = null!;
    private FakeTimeProvider _clock = null!;

    public async Task InitializeAsync()
    {
        _clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        _gateway = await TestGateway.StartAsync(await RecordingSilo.StartAsync(RecordingSilo.BuyPathOptions),
            configureBuilder: b => b.Services.AddSingleton<TimeProvider>(_clock));
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private RecordingSilo Silo => (RecordingSilo)_gateway.Silo;

    private static JsonObject Anonymous(JsonObject e)
    {
        e.Remove("userId");
        return e;
    }

    /// <summary>The victim views then carts (server side), which fires the buy rule's discount; returns its wire id.</summary>
    private async Task<string> VictimOfferAsync()
    {
        var (_, answer) = await Json.PostAsync(_gateway.Server, "/v1/events", new JsonArray(Json.Event(Victim, "v1"), Json.Event(Victim, "v2", "cart")).ToJsonString());
        return (string)answer!["results"]![1]!["decision"]!["offer"]!["id"]!;
    }

    private Uri Ws(string query) => new UriBuilder(_gateway.Host.BaseAddress) { Scheme = "ws", Path = "/v1/stream", Query = query }.Uri;

    [Fact]
    public async Task StreamWithThePublishableKeyAndAVictimsIdIsRefusedWithAProblem()
    {
        await VictimOfferAsync();

        var raw = await RawHttp.SendAsync(_gateway.Host.BaseAddress, RawHttp.WebSocketHandshake(_gateway.Host.BaseAddress, $"/v1/stream?key={TestGateway.PublishableKey}&userId={Victim}"));
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(Ws($"key={TestGateway.PublishableKey}&userId={Victim}"), CancellationToken.None));

        Assert.Equal(403, raw.Status);
        Assert.StartsWith("application/problem+json", raw.Headers["content-type"]);
        var problem = JsonNode.Parse(raw.Body)!;
        Assert.Equal("Shopper not bound", (string?)problem["title"]);
        Assert.Contains("?userId=", (string?)problem["detail"]);
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
        // A token for someone else does not open the victim's stream either.
        var other = await RawHttp.SendAsync(_gateway.Host.BaseAddress, RawHttp.WebSocketHandshake(_gateway.Host.BaseAddress,
            $"/v1/stream?key={TestGateway.PublishableKey}&userId={Victim}&shopperToken={Uri.EscapeDataString(TestGateway.ShopperToken("mallory"))}"));
        Assert.Equal(403, other.Status);
    }

    [Fact]
    public async Task AnAnonymousPublishableStreamNeverReceivesAnotherShoppersOffer()
    {
        using var attacker = await _gateway.ConnectAsync();
        using var victim = await _gateway.ConnectAsync(userId: Victim);

        var offerId = await VictimOfferAsync();

        var delivered = await Json.ReceiveAsync(victim, "offer");
        Assert.Equal(offerId, (string?)delivered["offer"]!["id"]);
        using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => attacker.ReceiveAsync(new byte[4096], quiet.Token));
    }

    [Fact]
    public async Task HttpEventsWithThePublishableKeyAndAVictimsIdAreRefusedAndChangeNothing()
    {
        await VictimOfferAsync();
        var before = (await Json.GetAsync(_gateway.Server, $"/v1/users/{Victim}")).Body!;
        using var publishable = _gateway.Client(TestGateway.PublishableKey);
        using var mallory = _gateway.Shopper("mallory");

        var (anonymous, problem) = await Json.PostAsync(publishable, "/v1/events", new JsonArray(Json.Event(Victim, "x1", "purchase")).ToJsonString());
        var (bound, _) = await Json.PostAsync(mallory, "/v1/events", new JsonArray(Json.Event("mallory", "m1"), Json.Event(Victim, "x2", "purchase")).ToJsonString());
        var (ndjson, _) = await Json.PostAsync(mallory, "/v1/events", Json.Event(Victim, "x3").ToJsonString(), "application/x-ndjson");

        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Shopper not bound", (string?)problem!["title"]);
        Assert.Contains($"'{Victim}'", (string?)problem["detail"]);
        Assert.Null(problem["results"]);
        Assert.Equal(HttpStatusCode.Forbidden, bound.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, ndjson.StatusCode);
        // Nothing of the refused bodies reached the silo, not even mallory's own event in the mixed batch.
        Assert.DoesNotContain(Silo.Received, e => e.EventId is "x1" or "x2" or "x3" or "m1");
        var after = (await Json.GetAsync(_gateway.Server, $"/v1/users/{Victim}")).Body!;
        Assert.Equal((long)before["eventsApplied"]!, (long)after["eventsApplied"]!);
    }

    [Fact]
    public async Task StreamEventsForAVictimAreRefusedOnATokenAndOnAnAnonymousConnection()
    {
        using var mallory = await _gateway.ConnectAsync(userId: "mallory");
        using var anonymous = await _gateway.ConnectAsync();

        await Json.SendAsync(mallory, new JsonObject { ["batch"] = "b1", ["events"] = new JsonArray(Json.Event(Victim, "x1", "cart")) });
        var first = await Json.ReceiveAsync(mallory, "error");
        await Json.SendAsync(anonymous, new JsonObject { ["batch"] = "b2", ["events"] = new JsonArray(Json.Event(Victim, "x2", "cart")) });
        var second = await Json.ReceiveAsync(anonymous, "error");
        await Json.SendAsync(mallory, new JsonObject { ["batch"] = "b3", ["events"] = new JsonArray(Anonymous(Json.Event("x", "m1"))) });
        var own = await Json.ReceiveAsync(mallory, "ack");

        Assert.Equal(403, (int)first["status"]!);
        Assert.Equal("b1", (string?)first["batch"]);
        Assert.Equal("Shopper not bound", (string?)first["title"]);
        Assert.Equal(403, (int)second["status"]!);
        Assert.Equal(1, (int)own["ack"]!["accepted"]!);
        Assert.Equal(["m1"], Silo.Received.Select(e => e.EventId));
        Assert.Equal("mallory", Silo.Received.Single().UserId);
    }

    [Fact]
    public async Task FeedbackOnAnotherShoppersOfferIsRefusedAlikeWhetherOrNotTheOfferExists()
    {
        var offerId = await VictimOfferAsync();
        using var mallory = await _gateway.ConnectAsync(userId: "mallory");
        using var publishable = _gateway.Client(TestGateway.PublishableKey);

        await Json.SendAsync(mallory, new JsonObject { ["type"] = "feedback", ["offerId"] = offerId, ["feedback"] = "dismissed", ["batch"] = "f1" });
        var real = await Json.ReceiveAsync(mallory, "error");
        await Json.SendAsync(mallory, new JsonObject { ["type"] = "feedback", ["offerId"] = TestGateway.Tenant + "~no-such-offer", ["feedback"] = "dismissed", ["batch"] = "f2" });
        var made = await Json.ReceiveAsync(mallory, "error");
        var (http, _) = await Json.PostAsync(publishable, $"/v1/offers/{Uri.EscapeDataString(offerId)}/feedback", "{\"feedback\":\"dismissed\"}");

        Assert.Equal(403, (int)real["status"]!);
        Assert.Equal(403, (int)made["status"]!);
        Assert.Equal(((string)real["detail"]!).Replace(offerId, "ID"), ((string)made["detail"]!).Replace(TestGateway.Tenant + "~no-such-offer", "ID"));
        Assert.Equal(HttpStatusCode.Forbidden, http.StatusCode);
        var view = (await Json.GetAsync(_gateway.Server, $"/v1/users/{Victim}")).Body!;
        Assert.Equal("proposed", (string?)view["activeOffers"]![0]!["state"]);
    }

    [Fact]
    public async Task TheBoundShopperMayGiveFeedbackOnItsOwnOfferAfterReconnecting()
    {
        using (var first = await _gateway.ConnectAsync(userId: "shopper"))
        {
            await Json.SendAsync(first, new JsonArray(Anonymous(Json.Event("x", "s1")), Anonymous(Json.Event("x", "s2", "cart"))));
            await Json.ReceiveAsync(first, "offer");
        }
        var offerId = (string)(await Json.GetAsync(_gateway.Server, "/v1/users/shopper")).Body!["activeOffers"]![0]!["id"]!;
        using var second = await _gateway.ConnectAsync(userId: "shopper");

        await Json.SendAsync(second, new JsonObject { ["type"] = "feedback", ["offerId"] = offerId, ["feedback"] = "shown" });
        var answer = await Json.ReceiveAsync(second, "feedback");

        Assert.Equal("recorded", (string?)answer["feedback"]!["outcome"]);
    }

    [Theory]
    [InlineData("GET", "/v1/users/" + Victim)]
    [InlineData("DELETE", "/v1/users/" + Victim)]
    [InlineData("POST", "/v1/users/" + Victim + "/consent")]
    [InlineData("POST", "/v1/shopper-tokens")]
    public async Task PublishableKeyWithAValidTokenStillCannotUseServerRoutes(string method, string path)
    {
        using var mallory = _gateway.Shopper(Victim);

        var response = await mallory.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent("{\"tracking\":false,\"offers\":false,\"userId\":\"victim-42\"}") });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public static TheoryData<string, string> BadTokens()
    {
        var now = DateTimeOffset.UtcNow;
        var good = TestGateway.ShopperToken("alice", now: now);
        var parts = good.Split('.');
        var tampered = string.Join('.', parts[0], parts[1], System.Buffers.Text.Base64Url.EncodeToString("victim-42"u8), parts[3], parts[4]);
        var longer = string.Join('.', parts[0], parts[1], parts[2], (long.Parse(parts[3], System.Globalization.CultureInfo.InvariantCulture) + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture), parts[4]);
        return new TheoryData<string, string>
        {
            { tampered, "signature does not match" },
            { longer, "signature does not match" },
            { ShopperTokens.Create("mm_sk_some_other_server_key_9", TestGateway.Tenant, "alice", now.AddHours(1)), "signature does not match" },
            { ShopperTokens.Create(TestGateway.ServerKey, "other-shop", "alice", now.AddHours(1)), "tenant 'other-shop'" },
            { ShopperTokens.Create(TestGateway.ServerKey, TestGateway.Tenant, "alice", now.AddDays(3)), "at most 1 day" },
            { "not-a-token", "malformed" },
            { "a1." + string.Join('.', parts.Skip(1)), "kind 'a1'" },
        };
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task ABadTokenIsRefusedWithAProblemThatSaysWhy(string token, string expected)
    {
        using var client = _gateway.Client(TestGateway.PublishableKey);
        client.DefaultRequestHeaders.Add("X-MicroMoment-Shopper", token);

        var (http, problem) = await Json.PostAsync(client, "/v1/events", Anonymous(Json.Event("x", "e1")).ToJsonString());
        var ws = await RawHttp.SendAsync(_gateway.Host.BaseAddress, RawHttp.WebSocketHandshake(_gateway.Host.BaseAddress, $"/v1/stream?key={TestGateway.PublishableKey}&shopperToken={Uri.EscapeDataString(token)}"));

        Assert.Equal(HttpStatusCode.Unauthorized, http.StatusCode);
        Assert.Equal("application/problem+json", http.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Invalid shopper token", (string?)problem!["title"]);
        Assert.Contains(expected, (string?)problem["detail"]);
        Assert.Equal(401, ws.Status);
        Assert.Contains(expected, (string?)JsonNode.Parse(ws.Body)!["detail"]);
        Assert.Empty(Silo.Received);
    }

    [Fact]
    public async Task ATokenStopsWorkingWhenItExpiresOnTheGatewaysClock()
    {
        var token = TestGateway.ShopperToken("alice", TimeSpan.FromMinutes(10), _clock.GetUtcNow());
        using var client = _gateway.Client(TestGateway.PublishableKey);
        client.DefaultRequestHeaders.Add("X-MicroMoment-Shopper", token);

        var (before, _) = await Json.PostAsync(client, "/v1/events", Anonymous(Json.Event("x", "e1")).ToJsonString());
        _clock.Advance(TimeSpan.FromMinutes(11));
        var (after, problem) = await Json.PostAsync(client, "/v1/events", Anonymous(Json.Event("x", "e2", at: _clock.GetUtcNow().UtcDateTime)).ToJsonString());

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("expired", (string?)problem!["detail"]);
        Assert.Equal(["e1"], Silo.Received.Select(e => e.EventId));
    }

    [Fact]
    public async Task AValidTokenBindsHttpAndStreamToItsShopper()
    {
        using var alice = _gateway.Shopper("alice");
        var (response, answer) = await Json.PostAsync(alice, "/v1/events", new JsonArray(Anonymous(Json.Event("x", "a1")), Json.Event("alice", "a2")).ToJsonString());
        using var socket = await _gateway.ConnectAsync(userId: "alice");
        await Json.SendAsync(socket, new JsonArray(Anonymous(Json.Event("x", "a3", "cart"))));
        var replies = await Json.ReceiveEachAsync(socket, "ack", "offer");
        var (ack, offer) = (replies["ack"], replies["offer"]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (int)answer!["accepted"]!);
        Assert.Equal(1, (int)ack["ack"]!["accepted"]!);
        Assert.Equal("alice", (string?)offer["offer"]!["userId"]);
        Assert.All(Silo.Received, e => Assert.Equal("alice", e.UserId));
        Assert.Equal(3, Silo.Received.Count);
        Assert.Null(response.Headers.Contains("Set-Cookie") ? response.Headers.GetValues("Set-Cookie").First() : null);
    }

    [Fact]
    public async Task WithoutATokenTheGatewayGivesAnAnonymousShopperInACookieAndKeepsToIt()
    {
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var browser = new HttpClient(handler) { BaseAddress = _gateway.Host.BaseAddress };
        using var other = _gateway.Client(TestGateway.PublishableKey);

        var (first, _) = await Json.PostAsync(browser, $"/v1/events?key={TestGateway.PublishableKey}", Anonymous(Json.Event("x", "a1")).ToJsonString());
        var setCookie = first.Headers.GetValues("Set-Cookie").Single();
        var (second, _) = await Json.PostAsync(browser, $"/v1/events?key={TestGateway.PublishableKey}", Anonymous(Json.Event("x", "a2")).ToJsonString());
        var (stranger, _) = await Json.PostAsync(other, "/v1/events", Anonymous(Json.Event("x", "b1")).ToJsonString());
        var cookie = cookies.GetAllCookies().Single();
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Cookie", $"{cookie.Name}={cookie.Value}");
        await socket.ConnectAsync(Ws($"key={TestGateway.PublishableKey}"), CancellationToken.None);
        await Json.SendAsync(socket, new JsonArray(Anonymous(Json.Event("x", "a3", "cart"))));
        var offer = (await Json.ReceiveEachAsync(socket, "ack", "offer"))["offer"];

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stranger.StatusCode);
        Assert.Equal("mm_shopper", cookie.Name);
        Assert.Equal("/v1", cookie.Path);
        Assert.True(cookie.HttpOnly);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        var byEvent = Silo.Received.ToDictionary(e => e.EventId!, e => e.UserId);
        Assert.StartsWith("anon-", byEvent["a1"]);
        Assert.Equal(27, byEvent["a1"].Length);
        Assert.Equal(byEvent["a1"], byEvent["a2"]);
        Assert.Equal(byEvent["a1"], byEvent["a3"]);
        Assert.NotEqual(byEvent["a1"], byEvent["b1"]);
        Assert.Equal(byEvent["a1"], (string?)offer["offer"]!["userId"]);
        // The anonymous shopper is as bound as a token's: naming anyone else is refused.
        var (foreign, _) = await Json.PostAsync(browser, $"/v1/events?key={TestGateway.PublishableKey}", Json.Event(Victim, "a4").ToJsonString());
        Assert.Equal(HttpStatusCode.Forbidden, foreign.StatusCode);
    }

    [Fact]
    public async Task AForgedAnonymousCookieGivesANewAnonymousShopperNotTheOneItNames()
    {
        using var client = _gateway.Client(TestGateway.PublishableKey);
        // A cookie naming the victim, "signed" with a key the gateway does not have.
        var forged = ShopperTokens.Create("mm_sk_attacker_made_this_up_1", TestGateway.Tenant, Victim, DateTimeOffset.UtcNow.AddDays(1)).Replace("s1.", "a1.");
        client.DefaultRequestHeaders.Add("Cookie", "mm_shopper=" + forged);

        var (response, _) = await Json.PostAsync(client, "/v1/events", Anonymous(Json.Event("x", "f1")).ToJsonString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = Silo.Received.Single().UserId;
        Assert.NotEqual(Victim, user);
        Assert.StartsWith("anon-", user);
    }

    [Fact]
    public async Task ServerKeysStillActForAnyShopper()
    {
        using var socket = await _gateway.ConnectServerAsync(Victim);

        var (response, _) = await Json.PostAsync(_gateway.Server, "/v1/events", new JsonArray(Json.Event("s-a", "s1"), Json.Event("s-b", "s2")).ToJsonString());
        await Json.SendAsync(socket, new JsonArray(Json.Event(Victim, "s3"), Json.Event("s-c", "s4")));
        var ack = await Json.ReceiveAsync(socket, "ack");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, (int)ack["ack"]!["accepted"]!);
        Assert.Equal(["s-a", "s-b", Victim, "s-c"], Silo.Received.Select(e => e.UserId));
    }

    [Fact]
    public async Task TheShopperTokenRouteMintsTokensForServerKeysOnly()
    {
        var (minted, body) = await Json.PostAsync(_gateway.Server, "/v1/shopper-tokens", "{\"userId\":\"bob\",\"lifetimeSeconds\":600}");
        var (tooLong, problem) = await Json.PostAsync(_gateway.Server, "/v1/shopper-tokens", "{\"userId\":\"bob\",\"lifetimeSeconds\":999999}");
        var (blank, blankProblem) = await Json.PostAsync(_gateway.Server, "/v1/shopper-tokens", "{\"userId\":\"  \"}");
        using var bob = _gateway.Client(TestGateway.PublishableKey);
        bob.DefaultRequestHeaders.Add("X-MicroMoment-Shopper", (string)body!["token"]!);
        var (used, _) = await Json.PostAsync(bob, "/v1/events", Anonymous(Json.Event("x", "b1")).ToJsonString());

        Assert.Equal(HttpStatusCode.OK, minted.StatusCode);
        Assert.Equal("bob", (string?)body["userId"]);
        Assert.InRange(DateTimeOffset.Parse((string)body["expiresAt"]!, System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds() - _clock.GetUtcNow().ToUnixTimeSeconds(), 599, 600);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("lifetimeSeconds", (string?)problem!["detail"]);
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        Assert.Contains("'userId'", (string?)blankProblem!["detail"]);
        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.Equal("bob", Silo.Received.Single().UserId);
    }

    [Fact]
    public void TheTokenFormatMatchesTheDocumentedExample()
    {
        // The example in docs/gateway.md, computed independently (Python's hmac and base64 modules), so a backend in
        // another language can check its own minting against it.
        var token = ShopperTokens.Create("mm_sk_example_key_0001", "default", "customer-1234", DateTimeOffset.FromUnixTimeSeconds(1767225600));

        Assert.Equal("s1.ZGVmYXVsdA.Y3VzdG9tZXItMTIzNA.1767225600.8W7ylmwdF8woLoJE-oQWmiN5JXBv_P7UChOIQHjCgKc", token);
        var options = new GatewayOptions { Keys = [new GatewayKey { Key = "mm_sk_example_key_0001", Tenant = "default" }] };
        Assert.True(new Auth.ShopperTokens(options).TryVerify(token, Auth.ShopperTokens.ShopperKind, "default",
            DateTimeOffset.FromUnixTimeSeconds(1767225600 - 600), TimeSpan.FromHours(1), out var user, out _, out var problem), problem);
        Assert.Equal("customer-1234", user);
    }

    [Fact]
    public async Task TheDotNetClientMintsTokensTheGatewayAccepts()
    {
        using var backend = new MicroMomentClient(_gateway.Host.BaseAddress, TestGateway.ServerKey);
        var offline = backend.CreateShopperToken("carol", TimeSpan.FromMinutes(5), TestGateway.Tenant, _clock);
        var online = await backend.RequestShopperTokenAsync("dave", TimeSpan.FromMinutes(5));
        using var carol = new MicroMomentClient(_gateway.Host.BaseAddress, TestGateway.PublishableKey) { ShopperToken = offline };
        using var dave = new MicroMomentClient(_gateway.Host.BaseAddress, TestGateway.PublishableKey) { ShopperToken = online.Token };

        var first = await carol.SendAsync(new ShopperEvent { UserId = "carol", Type = EventKind.View, ProductId = 1, Timestamp = _clock.GetUtcNow() });
        var second = await dave.SendAsync(new ShopperEvent { UserId = "dave", Type = EventKind.View, ProductId = 1, Timestamp = _clock.GetUtcNow() });
        var refused = await Assert.ThrowsAsync<MicroMomentApiException>(() => carol.SendAsync(new ShopperEvent { UserId = "dave", Type = EventKind.View, ProductId = 1 }));

        Assert.Equal(1, first.Accepted);
        Assert.Equal(1, second.Accepted);
        Assert.Equal(403, refused.Status);
        Assert.Equal(["carol", "dave"], Silo.Received.Select(e => e.UserId));
    }
}
