using System.Threading.Channels;
using MicroMoment.Events;
using static MicroMoment.Silo.Tests.SiloTestData;

namespace MicroMoment.Silo.Tests.Cluster;

/// <summary>Offer watches: a front receives the offers of the shoppers it watches, whichever silo fires them.</summary>
public class OfferWatchTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AnOfferFiredOnOneSiloReachesTheSinksOfAFrontOnTheOtherThatWatchesTheShopper()
    {
        await using var cluster = await TwoSiloCluster.StartAsync(BundledModel, new SiloOptions { Trigger = new TriggerPolicyOptions { BuyThreshold = 1e-6f } });
        var a = cluster.FrontOf(cluster.A);
        var b = cluster.FrontOf(cluster.B);
        var sinkA = new RecordingSink();
        var sinkB = new RecordingSink();
        a.Subscribe(sinkA);
        b.Subscribe(sinkB);
        const string shopper = "ada";
        await TwoSiloCluster.PlacedOnAsync(cluster.A, async () =>
        {
            await a.SetConsentAsync(ClickEvent.DefaultTenant, shopper, new Consent(true, true));
            return 0;
        });
        Assert.Equal(cluster.A.SiloAddress, cluster.WhereIs(cluster.UserGrainOf(ClickEvent.DefaultTenant, shopper)));

        await b.WatchAsync(ClickEvent.DefaultTenant, shopper);
        // The watch went from B to the user grain on A, which activated the trigger grain beside it.
        Assert.Equal(cluster.A.SiloAddress, cluster.WhereIs(cluster.TriggerGrainOf(ClickEvent.DefaultTenant, shopper)));

        var fired = (await a.IngestAsync([Event(shopper, 0, EventType.Cart, id: "ada-1")]))[0].Decision!.Offer;
        Assert.NotNull(fired);
        var received = await sinkB.Offers.ReadAsync().AsTask().WaitAsync(Within);
        Assert.Equal(fired.Id, received.Id);
        Assert.Equal(shopper, received.UserId);
        Assert.Equal(0, sinkA.Offers.Count); // A's front does not watch the shopper: the offer went to B only
        Assert.Equal(cluster.A.SiloAddress, cluster.WhereIs(cluster.UserGrainOf(ClickEvent.DefaultTenant, shopper)));
        Assert.Equal(cluster.A.SiloAddress, cluster.WhereIs(cluster.TriggerGrainOf(ClickEvent.DefaultTenant, shopper)));
    }

    [Fact]
    public async Task ANestedWatchReturnsOnlyOnceTheFirstWatchOfTheShopperIsInPlace()
    {
        var gate = new WatchGate();
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, configure: s => s.AddIncomingGrainCallFilter(gate));
        var first = silo.WatchAsync(ClickEvent.DefaultTenant, "bo").AsTask();
        await gate.Arrived.WaitAsync(Within);
        var second = silo.WatchAsync(ClickEvent.DefaultTenant, "bo").AsTask();
        // The first watch is held at the grain: a second connection of the shopper must not be told its offers are routed yet.
        Assert.False(second.IsCompleted);
        Assert.False(first.IsCompleted);
        gate.Open();
        await Task.WhenAll(first, second).WaitAsync(Within);
        Assert.Equal(1, gate.Held); // one grain call for both watches
    }

    private sealed class RecordingSink : IOfferSink
    {
        private readonly Channel<Offer> _offers = Channel.CreateUnbounded<Offer>();

        public ChannelReader<Offer> Offers => _offers.Reader;

        public void Deliver(Offer offer) => _offers.Writer.TryWrite(offer);
    }
}
