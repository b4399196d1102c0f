using Microsoft.Extensions.Logging.Abstractions;
using MicroMoment.Gateway.Ingestion;
using MicroMoment.Gateway.Metrics;
using MicroMoment.Gateway.Streaming;
using MicroMoment.Silo;

namespace MicroMoment.Gateway.Tests;

public sealed class SlowClientTests
{
    private static Offer OfferFor(string user, int n) =>
        new($"o{n}", TestGateway.Tenant, user, OfferType.Popup, new OfferPayload(1, 2, null, null, "hi"), 0.5f, 0.1f, 0, "test", DateTime.UtcNow, OfferState.Proposed, "p1");

    [Fact]
    public async Task ClientThatStopsReadingIsDroppedAndNeverBlocksDelivery()
    {
        using var metrics = new GatewayMetrics();
        await using var silo = await RecordingSilo.StartAsync();
        var hub = new OfferHub(metrics, silo, NullLogger<OfferHub>.Instance);
        var options = new GatewayOptions { SendQueueCapacity = 4 };
        var socket = new StalledWebSocket();
        var ingestor = new EventIngestor(silo, new SignalStore(8, 8), metrics);
        var key = new GatewayKey { Key = TestGateway.PublishableKey, Tenant = TestGateway.Tenant, Kind = GatewayKeyKind.Publishable };
        var connection = new StreamConnection(socket, key, ingestor, hub, metrics, options, TimeProvider.System, boundUser: "a");
        var run = connection.RunAsync("a", CancellationToken.None, CancellationToken.None);
        // Bounded wait for the connection to register its shopper (a deadline in time, not a count of polls whose
        // length depends on the timer resolution and the machine's load).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (hub.ConnectionsOf(TestGateway.Tenant, "a") == 0)
        {
            Assert.False(run.IsCompleted, $"the connection ended before registering its shopper: {run.Exception?.GetBaseException().Message ?? run.Status.ToString()}");
            Assert.True(DateTime.UtcNow < deadline, "the connection did not register its shopper with the offer hub within 10 s");
            await Task.Delay(5);
        }

        var delivered = Task.Run(() =>
        {
            for (var i = 0; i < 100; i++) hub.Deliver(OfferFor("a", i));
        });

        await delivered.WaitAsync(TimeSpan.FromSeconds(5));
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(socket.WasAborted);
        Assert.Equal(1, metrics.StreamDrops("slow-client"));
        Assert.Equal(0, hub.ConnectionsOf(TestGateway.Tenant, "a"));
        Assert.Equal(1, socket.SendsStarted);
        Assert.Equal(0, metrics.ConnectionsOpen);
    }

    [Fact]
    public async Task OfferForAShopperWithoutAConnectionIsCountedNotQueued()
    {
        using var metrics = new GatewayMetrics();
        await using var silo = await RecordingSilo.StartAsync();
        var hub = new OfferHub(metrics, silo, NullLogger<OfferHub>.Instance);

        hub.Deliver(OfferFor("nobody", 1));

        Assert.Equal(1, metrics.OffersWithoutConnection);
        Assert.Equal(0, metrics.OffersPushed);
    }
}
