using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace MicroMoment.Gateway.Tests;

public sealed class StreamTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await TestGateway.StartAsync(await RecordingSilo.StartAsync(RecordingSilo.BuyPathOptions));

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private static JsonObject Batch(string id, params JsonObject[] events) => new() { ["batch"] = id, ["events"] = new JsonArray(events) };

    [Fact]
    public async Task EventsOnTheStreamAreAckedWithTheirBatchId()
    {
        using var socket = await _gateway.ConnectAsync(userId: "a");

        await Json.SendAsync(socket, Batch("b-1", Json.Event("a", "a1"), Json.Event("a", "a2")));
        var ack = await Json.ReceiveAsync(socket, "ack");

        Assert.Equal("b-1", (string?)ack["batch"]);
        Assert.Equal(2, (int)ack["ack"]!["accepted"]!);
        Assert.Equal(["a1", "a2"], ack["ack"]!["results"]!.AsArray().Select(r => (string)r!["eventId"]!));
    }

    [Fact]
    public async Task HandlingOfEachMessageIsTimedInTheMetrics()
    {
        using var socket = await _gateway.ConnectAsync(userId: "a");
        await Json.SendAsync(socket, Batch("b-1", Json.Event("a", "a1")));
        await Json.ReceiveAsync(socket, "ack");
        await Json.SendAsync(socket, Batch("b-2", Json.Event("a", "a2")));
        await Json.ReceiveAsync(socket, "ack");

        var metrics = await _gateway.Server.GetStringAsync("/metrics");

        Assert.Equal(2, Dashboard.PrometheusText.Value(metrics, "micromoment_gateway_websocket_message_duration_seconds_count"));
        Assert.Equal(2, Dashboard.PrometheusText.Value(metrics, "micromoment_gateway_websocket_messages_total"));
    }

    [Fact]
    public async Task BareArrayAndSingleObjectAreAcceptedToo()
    {
        using var socket = await _gateway.ConnectAsync(userId: "a");

        await Json.SendAsync(socket, new JsonArray(Json.Event("a", "a1")));
        var first = await Json.ReceiveAsync(socket, "ack");
        await Json.SendAsync(socket, Json.Event("a", "a2"));
        var second = await Json.ReceiveAsync(socket, "ack");

        Assert.Null(first["batch"]);
        Assert.Equal(1, (int)first["ack"]!["accepted"]!);
        Assert.Equal("a2", (string?)second["ack"]!["results"]![0]!["eventId"]);
    }

    [Fact]
    public async Task OfferReachesTheShoppersOpenConnectionAndNoOther()
    {
        using var shopper = await _gateway.ConnectAsync(userId: "a");
        using var other = await _gateway.ConnectAsync(userId: "b");
        await Json.SendAsync(other, Json.Event("b", "b1"));
        await Json.ReceiveAsync(other, "ack");

        var (_, answer) = await Json.PostAsync(_gateway.Server, "/v1/events", new JsonArray(Json.Event("a", "a1"), Json.Event("a", "a2", "cart")).ToJsonString());
        var offer = await Json.ReceiveAsync(shopper, "offer");

        var fired = answer!["results"]![1]!["decision"]!["offer"]!;
        Assert.Equal((string?)fired["id"], (string?)offer["offer"]!["id"]);
        Assert.StartsWith(TestGateway.Tenant + "~", (string?)offer["offer"]!["id"]);
        Assert.Equal("a", (string?)offer["offer"]!["userId"]);
        Assert.Equal("discount", (string?)offer["offer"]!["type"]);
        using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => other.ReceiveAsync(new byte[1024], quiet.Token));
    }

    [Fact]
    public async Task EveryOpenConnectionOfTheShopperReceivesTheOffer()
    {
        using var tab1 = await _gateway.ConnectAsync(userId: "a");
        using var tab2 = await _gateway.ConnectAsync(userId: "a");

        await Json.SendAsync(tab1, Batch("b1", Json.Event("a", "a1"), Json.Event("a", "a2", "cart")));

        var first = await Json.ReceiveAsync(tab1, "offer");
        var second = await Json.ReceiveAsync(tab2, "offer");
        Assert.Equal((string?)first["offer"]!["id"], (string?)second["offer"]!["id"]);
        Assert.Equal(1, _gateway.Host.Metrics.OffersPushed);
    }

    [Fact]
    public async Task FeedbackOnTheStreamMovesTheOfferThroughItsStates()
    {
        using var socket = await _gateway.ConnectAsync(userId: "a");
        await Json.SendAsync(socket, Batch("b1", Json.Event("a", "a1"), Json.Event("a", "a2", "cart")));
        var id = (string)(await Json.ReceiveAsync(socket, "offer"))["offer"]!["id"]!;

        await Json.SendAsync(socket, new JsonObject { ["type"] = "feedback", ["offerId"] = id, ["feedback"] = "shown" });
        var shown = await Json.ReceiveAsync(socket, "feedback");
        await Json.SendAsync(socket, new JsonObject { ["type"] = "feedback", ["offerId"] = id, ["feedback"] = "dismissed" });
        var dismissed = await Json.ReceiveAsync(socket, "feedback");
        await Json.SendAsync(socket, new JsonObject { ["type"] = "feedback", ["offerId"] = id, ["feedback"] = "clicked" });
        var clickedAfterDismissed = await Json.ReceiveAsync(socket, "feedback");

        Assert.Equal("recorded", (string?)shown["feedback"]!["outcome"]);
        Assert.Equal("recorded", (string?)dismissed["feedback"]!["outcome"]);
        Assert.Equal("invalid_transition", (string?)clickedAfterDismissed["feedback"]!["outcome"]);
    }

    [Fact]
    public async Task PublishableConnectionMayNotGiveFeedbackOnAnOfferItDidNotReceive()
    {
        var (_, answer) = await Json.PostAsync(_gateway.Server, "/v1/events", new JsonArray(Json.Event("a", "a1"), Json.Event("a", "a2", "cart")).ToJsonString());
        var id = (string)answer!["results"]![1]!["decision"]!["offer"]!["id"]!;
        using var stranger = await _gateway.ConnectAsync(userId: "mallory");

        await Json.SendAsync(stranger, new JsonObject { ["type"] = "feedback", ["offerId"] = id, ["feedback"] = "clicked" });
        var error = await Json.ReceiveAsync(stranger, "error");

        Assert.Equal(403, (int)error["status"]!);
        Assert.Contains("not delivered on this connection", (string?)error["detail"]);
        var view = (await Json.GetAsync(_gateway.Server, "/v1/users/a")).Body!;
        Assert.Equal("proposed", (string?)view["activeOffers"]![0]!["state"]);
    }

    [Fact]
    public async Task ServerConnectionSpeaksForAtMostItsLimitOfShoppers()
    {
        await using var gateway = await TestGateway.StartAsync(configure: o => o.MaxUsersPerServerConnection = 4);
        using var socket = await gateway.ConnectServerAsync();

        await Json.SendAsync(socket, Batch("b1", [.. Enumerable.Range(0, 5).Select(i => Json.Event($"u{i}", $"e{i}"))]));
        var ack = await Json.ReceiveAsync(socket, "ack");

        var results = ack["ack"]!["results"]!.AsArray();
        Assert.Equal(["accepted", "accepted", "accepted", "accepted", "rejected"], results.Select(r => (string)r!["status"]!));
        Assert.Equal("too-many-users-on-connection", (string?)results[4]!["reason"]);
    }

    [Fact]
    public async Task MalformedMessageIsAnsweredWithAnErrorAndTheConnectionStaysOpen()
    {
        using var socket = await _gateway.ConnectAsync(userId: "a");

        await socket.SendAsync(Encoding.UTF8.GetBytes("{\"batch\": \"b1\", \"events\": [ {"), WebSocketMessageType.Text, true, CancellationToken.None);
        var error = await Json.ReceiveAsync(socket, "error");
        await Json.SendAsync(socket, Batch("b2", Json.Event("a", "a1")));
        var ack = await Json.ReceiveAsync(socket, "ack");

        Assert.Equal(400, (int)error["status"]!);
        Assert.Contains("not valid JSON", (string?)error["detail"]);
        Assert.Equal("b2", (string?)ack["batch"]);
    }

    [Fact]
    public async Task EnvelopeWithNothingParseableGetsAnErrorNamingTheBatch()
    {
        using var socket = await _gateway.ConnectAsync(userId: "a");

        await Json.SendAsync(socket, new JsonObject { ["batch"] = "b9", ["events"] = new JsonArray() });
        var ack = await Json.ReceiveAsync(socket);
        await Json.SendAsync(socket, JsonNode.Parse("[\"not an event\"]")!);
        var rejected = await Json.ReceiveAsync(socket, "ack");

        Assert.Equal("ack", (string?)ack!["type"]);
        Assert.Equal(0, (int)ack["ack"]!["received"]!);
        Assert.Equal("not-an-object", (string?)rejected["ack"]!["results"]![0]!["reason"]);
    }

    [Fact]
    public async Task OversizedMessageClosesTheConnectionWithMessageTooBig()
    {
        await using var gateway = await TestGateway.StartAsync(configure: o => o.MaxMessageBytes = 2048);
        using var socket = await gateway.ConnectAsync(userId: "a");

        var big = Batch("b1", [.. Enumerable.Range(0, 40).Select(i => Json.Event("a", $"e{i}"))]);
        await Json.SendAsync(socket, big);
        var message = await Json.ReceiveAsync(socket);

        Assert.Null(message);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, socket.CloseStatus);
        Assert.Equal(1, gateway.Host.Metrics.StreamDrops("message-too-big"));
        Assert.Empty(((RecordingSilo)gateway.Silo).Received);
    }

    [Fact]
    public async Task MessagesBeyondTheConnectionsRateAreRefusedWithRetryAfter()
    {
        await using var gateway = await TestGateway.StartAsync(configure: o => o.StreamMessageRateLimit = new TokenBucketSettings { PerSecond = 1, Burst = 1 });
        using var socket = await gateway.ConnectAsync(userId: "a");

        await Json.SendAsync(socket, Batch("b1", Json.Event("a", "a1")));
        await Json.SendAsync(socket, Batch("b2", Json.Event("a", "a2")));
        var ack = await Json.ReceiveAsync(socket, "ack");
        var error = await Json.ReceiveAsync(socket, "error");

        Assert.Equal("b1", (string?)ack["batch"]);
        Assert.Equal(429, (int)error["status"]!);
        Assert.Equal("b2", (string?)error["batch"]);
        Assert.Equal(1, (int)error["retryAfterSeconds"]!);
        Assert.Equal(["a1"], ((RecordingSilo)gateway.Silo).Received.Select(e => e.EventId!));
        Assert.Equal(1, gateway.Host.Metrics.RateLimited("stream"));
    }

    [Fact]
    public async Task StoppingTheGatewayClosesStreamsWithGoingAwayStatus()
    {
        var gateway = await TestGateway.StartAsync();
        using var socket = await gateway.ConnectAsync(userId: "a");
        await Json.SendAsync(socket, Json.Event("a", "a1"));
        await Json.ReceiveAsync(socket, "ack");

        var stopping = gateway.DisposeAsync().AsTask();
        // The event's offer (the exit popup fires on a first view) may be pushed before or after the ack: offers come from the
        // shopper's trigger grain, acks from the call. Nothing else may come before the close.
        var message = await Json.ReceiveAsync(socket);
        while (message is not null && (string?)message["type"] == "offer") message = await Json.ReceiveAsync(socket);
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(message is null, message?.ToJsonString());
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, socket.CloseStatus);
    }

    [Fact]
    public async Task ClosingTheConnectionStopsRoutingOffersToIt()
    {
        var socket = await _gateway.ConnectAsync(userId: "a");
        var hub = _gateway.Host.App.Services.GetRequiredService<Streaming.OfferHub>();
        Assert.Equal(1, hub.ConnectionsOf(TestGateway.Tenant, "a"));

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        socket.Dispose();
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (hub.ConnectionsOf(TestGateway.Tenant, "a") > 0 && DateTime.UtcNow < deadline) await Task.Delay(10);

        Assert.Equal(0, hub.ConnectionsOf(TestGateway.Tenant, "a"));
        Assert.Equal(0, _gateway.Host.Metrics.ConnectionsOpen);
    }
}
