using System.Net.WebSockets;
using MicroMoment.Events;
using MicroMoment.Silo;
using MicroMoment.Silo.Tests.Cluster;
using Orleans.Hosting;

namespace MicroMoment.Gateway.Tests.Cluster;

/// <summary>
/// A gateway attached to one silo of a two-silo cluster: the offers of a shopper whose grains run on the other silo reach
/// the shopper's WebSocket on this gateway.
/// </summary>
public class CrossSiloOfferTests
{
    private const string Shopper = "ada";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AnOfferFiredByAGrainOnOneSiloReachesTheShoppersWebSocketOnAGatewayOfTheOther()
    {
        await using var cluster = await TwoSiloCluster.StartAsync(BundledModel.Model, Options);
        var a = cluster.FrontOf(cluster.A);
        await PlaceOnAAsync(cluster);
        await using var gateway = await StartGatewayAsync(cluster.FrontOf(cluster.B));
        using var socket = await ConnectAsync(gateway, CancellationToken.None);

        // An event for the shopper from A's side (a server-side event, or the shop's backend talking to A's gateway).
        var fired = await FireOnAAsync(a);
        var pushed = await Json.ReceiveAsync(socket, "offer", Within);

        Assert.Equal(TestGateway.Tenant + "~" + fired.Id, (string?)pushed["offer"]!["id"]); // the wire id names the tenant
        Assert.Equal(Shopper, (string?)pushed["offer"]!["userId"]);
        AssertGrainsOnA(cluster);
        Assert.Equal(1, gateway.Metrics.OffersPushed);
    }

    [Fact]
    public async Task TheHandshakeCompletesOnlyOnceTheShoppersOfferWatchReachedTheGrainOnTheOtherSilo()
    {
        // Watches reach the user grain only when the test lets them: a watch crossing to a slow silo.
        var gate = new WatchGate();
        await using var cluster = await TwoSiloCluster.StartAsync(BundledModel.Model, Options, configure: s => s.AddIncomingGrainCallFilter(gate));
        var a = cluster.FrontOf(cluster.A);
        await PlaceOnAAsync(cluster);
        await using var gateway = await StartGatewayAsync(cluster.FrontOf(cluster.B));

        using var cancel = new CancellationTokenSource(Within);
        var connecting = ConnectAsync(gateway, cancel.Token);
        await gate.Arrived.WaitAsync(Within);
        // A client that sees the connection open may at once cause an offer elsewhere, so the gateway must not open it
        // while the watch is on its way: the offer would go to no one.
        await Task.WhenAny(connecting, Task.Delay(TimeSpan.FromMilliseconds(500)));
        Assert.False(connecting.IsCompleted, "The WebSocket opened before the shopper's offer watch reached their grain.");

        gate.Open();
        using var socket = await connecting.WaitAsync(Within);
        var fired = await FireOnAAsync(a);
        var pushed = await Json.ReceiveAsync(socket, "offer", Within);
        Assert.Equal(TestGateway.Tenant + "~" + fired.Id, (string?)pushed["offer"]!["id"]); // the wire id names the tenant
        AssertGrainsOnA(cluster);
    }

    [Fact]
    public async Task AServerConnectionSendsANewShoppersEventsOnlyOnceTheirOfferWatchReachedTheGrainOnTheOtherSilo()
    {
        // The watch is held before it leaves B (the grain on A goes on taking calls): a watch crossing a slow network.
        var gate = new WatchGate();
        await using var cluster = await TwoSiloCluster.StartAsync(BundledModel.Model, Options, configure: s => s.AddOutgoingGrainCallFilter(gate));
        await PlaceOnAAsync(cluster);
        await using var gateway = await StartGatewayAsync(cluster.FrontOf(cluster.B));

        // A backend's connection speaks for many shoppers: it routes a shopper's offers to itself with their first event.
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + TestGateway.ServerKey);
        await socket.ConnectAsync(new UriBuilder(gateway.BaseAddress) { Scheme = "ws", Path = "/v1/stream" }.Uri, CancellationToken.None);
        await Json.SendAsync(socket, new System.Text.Json.Nodes.JsonObject
        {
            ["batch"] = "b1",
            ["events"] = new System.Text.Json.Nodes.JsonArray(Json.Event(Shopper, "ada-cart", "cart")),
        });
        await gate.Arrived.WaitAsync(Within);
        // The cart fires an offer on A: sent before the watch is in place, that offer would go to no one. (A pending
        // receive, not a cancelled one: cancelling a WebSocket receive aborts the socket.)
        var next = Json.ReceiveAsync(socket, Within);
        await Task.WhenAny(next, Task.Delay(TimeSpan.FromMilliseconds(500)));
        Assert.False(next.IsCompleted, "The event was sent (and answered) before the shopper's offer watch was in place.");
        Assert.Equal(0, (await cluster.FrontOf(cluster.A).GetUserAsync(TestGateway.Tenant, Shopper))!.EventsApplied);

        gate.Open();
        var messages = new Dictionary<string, System.Text.Json.Nodes.JsonNode>(StringComparer.Ordinal);
        for (var message = await next; ; message = await Json.ReceiveAsync(socket, Within))
        {
            Assert.NotNull(message);
            messages.TryAdd((string)message["type"]!, message);
            if (messages.ContainsKey("ack") && messages.ContainsKey("offer")) break;
        }

        var fired = messages["ack"]["ack"]!["results"]![0]!["decision"]!["offer"]!;
        Assert.Equal((string?)fired["id"], (string?)messages["offer"]["offer"]!["id"]);
        // The watch crossed to the user grain on A (where the trigger grain is placed is not this test's point).
        Assert.Equal(cluster.A.SiloAddress, cluster.WhereIs(cluster.UserGrainOf(TestGateway.Tenant, Shopper)));
    }

    private static SiloOptions Options => new() { Trigger = new TriggerPolicyOptions { BuyThreshold = 1e-6f } };

    /// <summary>Activates the shopper's grains on silo A (Orleans' placement hint) and checks they are there.</summary>
    private static async Task PlaceOnAAsync(TwoSiloCluster cluster)
    {
        var a = cluster.FrontOf(cluster.A);
        await TwoSiloCluster.PlacedOnAsync(cluster.A, async () =>
        {
            // Consent beyond the default, so the grain holds state: a grain with none leaves memory when it is read, and would
            // come back wherever Orleans places it.
            await a.SetConsentAsync(TestGateway.Tenant, Shopper, new Consent(true, ["offers", "analytics"]));
            return 0;
        });
        Assert.Equal(cluster.A.SiloAddress, cluster.WhereIs(cluster.UserGrainOf(TestGateway.Tenant, Shopper)));
    }

    /// <summary>Both of the shopper's grains still run on A: the offer crossed silos, the grains did not.</summary>
    private static void AssertGrainsOnA(TwoSiloCluster cluster)
    {
        Assert.Equal(cluster.A.SiloAddress, cluster.WhereIs(cluster.UserGrainOf(TestGateway.Tenant, Shopper)));
        Assert.Equal(cluster.A.SiloAddress, cluster.WhereIs(cluster.TriggerGrainOf(TestGateway.Tenant, Shopper)));
        Assert.NotEqual(cluster.A.SiloAddress, cluster.B.SiloAddress);
    }

    /// <summary>A cart event of the shopper through A's front; returns the offer it fired.</summary>
    private static async Task<Offer> FireOnAAsync(IMicroMomentSilo a)
    {
        var cart = new ClickEvent(TestGateway.Tenant, Shopper, DateTime.UtcNow, EventType.Cart, 1001, 77, "electronics.phone", "acme", 25f, EventId: "ada-cart");
        var outcome = (await a.IngestAsync([cart]))[0];
        Assert.Equal(IngestStatus.Accepted, outcome.Status);
        return outcome.Decision!.Offer ?? throw new InvalidOperationException($"No offer fired: {outcome.Decision.SuppressedBecause}");
    }

    /// <summary>A real gateway (Kestrel on 127.0.0.1, port 0) in front of <paramref name="silo"/>, which it does not own.</summary>
    private static Task<GatewayHost> StartGatewayAsync(IMicroMomentSilo silo) =>
        GatewayHost.StartAsync(silo, o =>
        {
            o.Urls = "http://127.0.0.1:0";
            o.Keys =
            [
                new GatewayKey { Key = TestGateway.ServerKey, Tenant = TestGateway.Tenant, Kind = GatewayKeyKind.Server },
                new GatewayKey { Key = TestGateway.PublishableKey, Tenant = TestGateway.Tenant, Kind = GatewayKeyKind.Publishable },
            ];
        });

    /// <summary>Opens /v1/stream as the shopper's page does (publishable key and shopper token).</summary>
    private static async Task<ClientWebSocket> ConnectAsync(GatewayHost gateway, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        var query = $"key={Uri.EscapeDataString(TestGateway.PublishableKey)}&userId={Shopper}&shopperToken={Uri.EscapeDataString(TestGateway.ShopperToken(Shopper))}";
        await socket.ConnectAsync(new UriBuilder(gateway.BaseAddress) { Scheme = "ws", Path = "/v1/stream", Query = query }.Uri, cancellationToken);
        return socket;
    }
}
