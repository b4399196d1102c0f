using MicroMoment.Client;
using MicroMoment.Events;
using MicroMoment.Silo;
using HttpOfferStatus = MicroMoment.Client.OfferStatus;
using FeedbackOutcome = MicroMoment.Silo.FeedbackOutcome;
using Offer = MicroMoment.Silo.Offer;

namespace MicroMoment.Gateway.Tests.OrleansMode;

/// <summary>The HTTP mode and the Orleans mode of the client in front of one silo see the same shoppers.</summary>
public sealed class BothModesTests(OrleansModeFixture live) : IClassFixture<OrleansModeFixture>
{
    [Fact]
    public async Task HttpModeSendsEventsAndReceivesTheOfferOnItsStream()
    {
        var pushedToCallback = new TaskCompletionSource<MicroMoment.Client.Offer>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var stream = await live.Http.OpenStreamAsync("http-mode", o => pushedToCallback.TrySetResult(o));
        var view = new ShopperEvent { UserId = "http-mode", Type = EventKind.View, ProductId = 1001, CategoryId = 2001, Price = 199, Timestamp = DateTimeOffset.UtcNow };
        var cart = view with { EventId = Guid.NewGuid().ToString("N"), Type = EventKind.Cart };

        var ack = await stream.SendAsync([view, cart]);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        MicroMoment.Client.Offer? read = null;
        await foreach (var offer in stream.ReadOffersAsync(wait.Token))
        {
            read = offer;
            break;
        }

        Assert.Equal(2, ack.Accepted);
        var fired = Assert.Single(ack.Offers);
        Assert.Equal(fired.Id, read?.Id);
        Assert.Equal(fired.Id, (await pushedToCallback.Task.WaitAsync(TimeSpan.FromSeconds(15))).Id);
        // The Orleans mode reads the same shopper from the same silo.
        var seen = await live.OrleansClient.GetUserAsync("http-mode");
        Assert.Equal(2, seen!.EventsApplied);
        Assert.Equal($"{TestGateway.Tenant}~{Assert.Single(seen.ActiveOffers).Id}", fired.Id);
    }

    [Fact]
    public async Task EventsSentInOrleansModeAreTheStateTheHttpGatewayShows()
    {
        var orleans = live.OrleansClient;
        var view = orleans.CreateEvent("both-1", EventType.View, productId: 1001, categoryId: 2001, price: 199f);
        var cart = orleans.CreateEvent("both-1", EventType.Cart, productId: 1001, categoryId: 2001, price: 199f);

        var sent = await orleans.SendAsync([view, cart]);
        var state = await live.Http.GetUserAsync("both-1");

        Assert.NotNull(state);
        Assert.Equal([view.EventId, cart.EventId], state.Timeline.Select(t => t.EventId));
        Assert.Equal(["view", "cart"], state.Timeline.Select(t => t.Type));
        Assert.Equal(sent.Select(o => o.Score!.Value.BuyProbability), state.Timeline.Select(t => t.Buy!.Value));
        Assert.Equal(sent[1].Score!.Value.BuyProbability, state.Latest!.Buy);
        Assert.Equal(2, state.EventsApplied);
        // Offer ids on the HTTP wire carry the tenant: "tenant~id".
        Assert.Equal($"{TestGateway.Tenant}~{sent[0].Decision!.Offer!.Id}", Assert.Single(state.ActiveOffers).Id);
    }

    [Fact]
    public async Task EventsSentOverHttpReachTheOrleansModeAndTheirOfferIsPushedToIt()
    {
        var orleans = live.OrleansClient;
        await using var offers = await orleans.WatchOffersAsync("both-2");
        var shopperEvent = new ShopperEvent { UserId = "both-2", Type = EventKind.View, ProductId = 1001, CategoryId = 2001, Price = 199, Timestamp = DateTimeOffset.UtcNow };

        var http = await live.Http.SendBatchAsync([shopperEvent]);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        Offer? pushed = null;
        await foreach (var offer in offers.ReadOffersAsync(wait.Token))
        {
            pushed = offer;
            break;
        }

        var httpOffer = Assert.Single(http.Offers);
        Assert.NotNull(pushed);
        Assert.Equal(httpOffer.Id, $"{TestGateway.Tenant}~{pushed.Id}");
        var seen = await orleans.GetUserAsync("both-2");
        Assert.Equal(shopperEvent.EventId, Assert.Single(seen!.Timeline).EventId);
        // The same event resent in Orleans mode is the duplicate it is: one shopper, one de-duplication.
        var resent = await orleans.SendAsync(new ClickEvent(TestGateway.Tenant, "both-2", shopperEvent.Timestamp!.Value.UtcDateTime, EventType.View, 1001, 2001, null, null, 199f,
            EventId: shopperEvent.EventId));
        Assert.Equal(IngestStatus.Duplicate, resent.Status);
        // Feedback in Orleans mode with the id the HTTP gateway gave; the HTTP view shows it.
        Assert.Equal(FeedbackOutcome.Recorded, await orleans.RecordFeedbackAsync(httpOffer.Id, OfferFeedback.Shown));
        var state = await live.Http.GetUserAsync("both-2");
        Assert.Equal(HttpOfferStatus.Shown, Assert.Single(state!.ActiveOffers).State);
    }

    [Fact]
    public async Task ConsentAndErasureInOneModeHoldInTheOther()
    {
        var orleans = live.OrleansClient;
        await orleans.SendAsync(orleans.CreateEvent("both-3", EventType.View, productId: 1001));

        var consent = await live.Http.SetConsentAsync("both-3", tracking: true, offers: false);
        var seen = await orleans.GetUserAsync("both-3");
        bool erased = await orleans.EraseUserAsync("both-3");
        var gone = await live.Http.GetUserAsync("both-3");

        Assert.False(consent.Offers);
        Assert.False(seen!.Consent.Offers);
        Assert.True(erased);
        Assert.Null(gone);
    }
}
