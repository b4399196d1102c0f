using MicroMoment.Client.Orleans;
using MicroMoment.Events;
using MicroMoment.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MicroMoment.Gateway.Tests.OrleansMode;

/// <summary>The Orleans-mode client against a live silo, over the silo's Orleans client gateway port (a real socket).</summary>
public sealed class OrleansClientTests(OrleansModeFixture live) : IClassFixture<OrleansModeFixture>
{
    private MicroMomentOrleansClient Client => live.OrleansClient;

    private ClickEvent View(string user, EventType type = EventType.View, long product = 1001) =>
        Client.CreateEvent(user, type, productId: product, categoryId: 2053013555631882655, categoryCode: "electronics.smartphone", brand: "acme", price: 199.99f,
            context: new EventContext("desktop", "web", "direct", "product"));

    private static async Task<Offer> FirstAsync(OfferSubscription subscription)
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await foreach (var offer in subscription.ReadOffersAsync(wait.Token)) return offer;
        throw new InvalidOperationException("The subscription ended without an offer.");
    }

    [Fact]
    public async Task EventsSentOverTheOrleansGatewayComeBackScoredPerShopperInSubmissionOrder()
    {
        var events = new[] { View("o-ann"), View("o-bob"), View("o-ann", EventType.Cart), View("o-bob", EventType.Cart, 1002) };

        var outcomes = await Client.SendAsync(events);

        Assert.Equal(4, outcomes.Count);
        Assert.All(outcomes, o => Assert.Equal(IngestStatus.Accepted, o.Status));
        Assert.All(outcomes, o => Assert.NotNull(o.Score));
        // The first event of each session fires the session's one offer, for that shopper; the second is capped.
        Assert.Equal("o-ann", outcomes[0].Decision!.Offer!.UserId);
        Assert.Equal("o-bob", outcomes[1].Decision!.Offer!.UserId);
        Assert.Equal(TestGateway.Tenant, outcomes[0].Decision!.Offer!.Tenant);
        Assert.False(outcomes[2].Decision!.Fired);
        Assert.False(outcomes[3].Decision!.Fired);
        var ann = await Client.GetUserAsync("o-ann");
        Assert.Equal([events[0].EventId, events[2].EventId], ann!.Timeline.Select(t => t.EventId));
        Assert.Equal(outcomes[2].Score!.Value.BuyProbability, ann.Latest!.Value.BuyProbability);
    }

    [Fact]
    public async Task AResentEventKeepsItsIdAndIsAnsweredDuplicate()
    {
        var e = View("o-retry");
        var first = await Client.SendAsync(e);

        var again = await Client.SendAsync([e, e]);

        Assert.Equal(IngestStatus.Accepted, first.Status);
        Assert.All(again, o => Assert.Equal(IngestStatus.Duplicate, o.Status));
        var view = await Client.GetUserAsync("o-retry");
        Assert.Equal(1, view!.EventsApplied);
        Assert.Equal(2, view.DuplicatesDropped);
    }

    [Fact]
    public async Task AFiredOfferIsPushedToTheSubscriptionOfTheWatchingClient()
    {
        await using var offers = await Client.WatchOffersAsync("o-watch");
        var pushedToCallback = new TaskCompletionSource<Offer>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var callback = await Client.WatchOffersAsync("o-watch", o => pushedToCallback.TrySetResult(o));
        await using var other = await Client.WatchOffersAsync("o-someone-else");

        var outcome = await Client.SendAsync(View("o-watch"));
        var pushed = await FirstAsync(offers);

        var fired = outcome.Decision!.Offer!;
        Assert.Equal(fired.Id, pushed.Id);
        Assert.Equal("o-watch", pushed.UserId);
        Assert.Equal(OfferState.Proposed, pushed.State);
        Assert.Equal(fired.Id, (await pushedToCallback.Task.WaitAsync(TimeSpan.FromSeconds(15))).Id);
        Assert.True(Client.IsWatching("o-watch"));
        Assert.True(Client.IsWatching("o-someone-else"));
        Assert.False(other.TryRead(out _));
        Assert.Throws<InvalidOperationException>(() => callback.ReadOffersAsync());
    }

    [Fact]
    public async Task DisposingTheLastSubscriptionOfAShopperEndsTheWatch()
    {
        var first = await Client.WatchOffersAsync("o-leave");
        var second = await Client.WatchOffersAsync("o-leave");
        await first.DisposeAsync();
        bool watchedByTheSecond = Client.IsWatching("o-leave");

        await second.DisposeAsync();

        Assert.True(watchedByTheSecond);
        Assert.False(Client.IsWatching("o-leave"));
        await using var ended = second.ReadOffersAsync().GetAsyncEnumerator();
        Assert.False(await ended.MoveNextAsync());
    }

    [Fact]
    public async Task ViewFeedbackConsentAndEraseRoundTrip()
    {
        var sent = await Client.SendAsync([View("o-cycle"), View("o-cycle", EventType.Cart)]);
        var offer = sent[0].Decision!.Offer!;

        var view = await Client.GetUserAsync("o-cycle");
        var shown = await Client.RecordFeedbackAsync(offer.Id, OfferFeedback.Shown);
        var shownAgain = await Client.RecordFeedbackAsync(offer.Id, OfferFeedback.Shown);
        // The id as the HTTP gateway and the tracker give it ("tenant~id") works too; another tenant's never reaches a grain.
        var clicked = await Client.RecordFeedbackAsync($"{TestGateway.Tenant}~{offer.Id}", OfferFeedback.Clicked);
        var foreign = await Client.RecordFeedbackAsync($"other-shop~{offer.Id}", OfferFeedback.Dismissed);
        var unknown = await Client.RecordFeedbackAsync("not-an-offer", OfferFeedback.Shown);
        await Client.SetConsentAsync("o-cycle", new Consent(tracking: true, offers: false));
        var afterConsent = await Client.GetUserAsync("o-cycle");
        var erased = await Client.EraseUserAsync("o-cycle");
        var gone = await Client.GetUserAsync("o-cycle");
        var erasedAgain = await Client.EraseUserAsync("o-cycle");

        Assert.NotNull(view);
        Assert.Equal(TestGateway.Tenant, view.Tenant);
        Assert.Equal(sent.Select(o => o.Score!.Value.BuyProbability), view.Timeline.Select(t => t.BuyProbability));
        Assert.Equal(offer.Id, Assert.Single(view.ActiveOffers).Id);
        Assert.Equal(FeedbackOutcome.Recorded, shown);
        Assert.Equal(FeedbackOutcome.InvalidTransition, shownAgain);
        Assert.Equal(FeedbackOutcome.Recorded, clicked);
        Assert.Equal(FeedbackOutcome.UnknownOffer, foreign);
        Assert.Equal(FeedbackOutcome.UnknownOffer, unknown);
        Assert.False(afterConsent!.Consent.Offers);
        Assert.True(afterConsent.Consent.Tracking);
        Assert.True(erased);
        Assert.Null(gone);
        Assert.False(erasedAgain);
    }

    [Fact]
    public async Task WithdrawnTrackingMakesLaterEventsOptedOut()
    {
        await Client.SetConsentAsync("o-optout", new Consent(tracking: false, offers: false));

        var outcome = await Client.SendAsync(View("o-optout"));

        Assert.Equal(IngestStatus.OptedOut, outcome.Status);
    }

    public static TheoryData<string, string> InvalidEvents() => new()
    {
        { "local-time", "is of kind Local; expected UTC" },
        { "unspecified-time", "is of kind Unspecified; expected UTC" },
        { "future", "minutes in the future; at most 5 minutes ahead" },
        { "too-old", "days old; events older than 7 days are not accepted" },
        { "no-user", "the user id is missing; expected the shopper's id" },
        { "blank-user", "the user id is blank" },
        { "long-user", "the user id has 129 characters; expected 1 to 128" },
        { "control-user", "the user id contains control characters" },
        { "no-id", "the event id is missing; expected a unique id so that a resend is answered duplicate" },
        { "no-tenant", "the tenant is missing; expected 'shop1'" },
        { "other-tenant", "the tenant is 'shop2', but this client sends for tenant 'shop1'" },
        { "other-type", "the type is Other, which the model does not score" },
        { "undefined-type", "the type is 9, which is not an EventType" },
        { "negative-product", "the product id is -1" },
        { "negative-category", "the category id is -5" },
        { "negative-price", "the price is -1; expected a finite, non-negative price" },
        { "infinite-price", "the price is Infinity; expected a finite, non-negative price" },
        { "long-brand", "the brand has 257 characters; expected at most 256" },
        { "long-page", "the context page has 300 characters" },
    };

    [Theory]
    [MemberData(nameof(InvalidEvents))]
    public async Task AnInvalidEventIsRefusedWithAnArgumentExceptionNamingItAndNothingIsSent(string kind, string expected)
    {
        var valid = View("o-valid-" + kind);
        var bad = View("o-bad-" + kind);
        var now = DateTime.UtcNow;
        bad = kind switch
        {
            "local-time" => bad with { Timestamp = now.ToLocalTime() },
            "unspecified-time" => bad with { Timestamp = DateTime.SpecifyKind(now, DateTimeKind.Unspecified) },
            "future" => bad with { Timestamp = now.AddMinutes(30) },
            "too-old" => bad with { Timestamp = now.AddDays(-8) },
            "no-user" => bad with { UserId = null! },
            "blank-user" => bad with { UserId = "  " },
            "long-user" => bad with { UserId = new string('u', 129) },
            "control-user" => bad with { UserId = "a\nb" },
            "no-id" => bad with { EventId = null },
            "no-tenant" => bad with { Tenant = null! },
            "other-tenant" => bad with { Tenant = "shop2" },
            "other-type" => bad with { Type = EventType.Other },
            "undefined-type" => bad with { Type = (EventType)9 },
            "negative-product" => bad with { ProductId = -1 },
            "negative-category" => bad with { CategoryId = -5 },
            "negative-price" => bad with { Price = -1f },
            "infinite-price" => bad with { Price = float.PositiveInfinity },
            "long-brand" => bad with { Brand = new string('b', 257) },
            "long-page" => bad with { Context = new EventContext(null, null, null, new string('p', 300)) },
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => Client.SendAsync([valid, bad]));

        Assert.Equal("events", error.ParamName);
        Assert.StartsWith("Event #1", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.Contains("Nothing was sent.", error.Message);
        Assert.Null(await Client.GetUserAsync("o-valid-" + kind));
    }

    [Fact]
    public async Task CallsNamingAShopperRefuseABadUserIdAndFeedbackRefusesALocalTime()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Client.GetUserAsync(" "));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.EraseUserAsync(new string('x', 129)));
        await Assert.ThrowsAsync<ArgumentException>(() => Client.WatchOffersAsync("a\u0001b"));
        var local = await Assert.ThrowsAsync<ArgumentException>(() => Client.RecordFeedbackAsync("x.1", OfferFeedback.Shown, DateTime.Now));
        Assert.Contains("expected UTC", local.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => Client.RecordFeedbackAsync("x.1", (OfferFeedback)7));
    }

    [Fact]
    public async Task AShoppersEventsApplyInSubmissionOrderAcrossConcurrentCalls()
    {
        string[] shoppers = ["o-order-0", "o-order-1", "o-order-2", "o-order-3"];
        var events = Enumerable.Range(0, 40).SelectMany(i => shoppers.Select(user => View(user, product: 1000 + i))).ToArray();

        // One call per event, all in flight at once: Orleans alone does not keep the order of separate calls to a grain.
        var outcomes = await Task.WhenAll(events.Select(e => Client.SendAsync(e)));

        Assert.All(outcomes, o => Assert.Equal(IngestStatus.Accepted, o.Status));
        foreach (var user in shoppers)
        {
            var view = await Client.GetUserAsync(user);
            Assert.Equal(events.Where(e => e.UserId == user).Select(e => e.ProductId), view!.Timeline.Select(t => t.ProductId));
        }
    }

    [Fact]
    public async Task AShoppersLongRunGoesInSeveralGrainCallsInOrder()
    {
        await using var small = await MicroMomentOrleansClient.ConnectAsync(live.OrleansPort, new MicroMomentOrleansOptions { Tenant = TestGateway.Tenant, MaxEventsPerCall = 3 });
        var events = Enumerable.Range(0, 10).Select(i => small.CreateEvent(i % 2 == 0 ? "o-long" : "o-long-2", EventType.View, productId: 2000 + i)).ToArray();

        var outcomes = await small.SendAsync(events);

        Assert.All(outcomes, o => Assert.Equal(IngestStatus.Accepted, o.Status));
        var view = await small.GetUserAsync("o-long");
        Assert.Equal(events.Where(e => e.UserId == "o-long").Select(e => e.ProductId), view!.Timeline.Select(t => t.ProductId));
        Assert.Equal(5, view.EventsApplied);
    }

    [Fact]
    public async Task AClientRegisteredInAGenericHostSendsAndReceivesItsOffer()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(c => c.UseMicroMomentGateway(live.OrleansPort).AddMicroMomentClient(o => o.Tenant = TestGateway.Tenant));
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<MicroMomentOrleansClient>();
        await using var offers = await client.WatchOffersAsync("o-hosted");

        var outcome = await client.SendAsync(client.CreateEvent("o-hosted", EventType.View, productId: 1001));
        var pushed = await FirstAsync(offers);

        Assert.Same(client, host.Services.GetRequiredService<MicroMomentOrleansClient>());
        Assert.Equal(TestGateway.Tenant, client.Tenant);
        Assert.Equal(outcome.Decision!.Offer!.Id, pushed.Id);
        await host.StopAsync();
    }

    [Fact]
    public async Task OptionsAreValidatedWithTheSettingNamed()
    {
        var tenant = await Assert.ThrowsAsync<ArgumentException>(() => MicroMomentOrleansClient.ConnectAsync(live.OrleansPort, new MicroMomentOrleansOptions { Tenant = "a/b" }));
        var perCall = Assert.Throws<ArgumentOutOfRangeException>(() => new MicroMomentOrleansOptions { MaxEventsPerCall = 0 }.Validate());

        Assert.Equal("Tenant", tenant.ParamName);
        Assert.Contains("a tenant is 1 to 64 letters", tenant.Message);
        Assert.Equal("MaxEventsPerCall", perCall.ParamName);
        var connect = Assert.Throws<ArgumentOutOfRangeException>(() => new MicroMomentOrleansOptions { ConnectTimeout = TimeSpan.Zero }.Validate());
        Assert.Equal("ConnectTimeout", connect.ParamName);
    }
}
