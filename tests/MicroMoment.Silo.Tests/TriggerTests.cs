using System.Collections.Concurrent;
using MicroMoment.Events;
using Microsoft.Extensions.Time.Testing;
using static MicroMoment.Silo.Tests.SiloTestData;

namespace MicroMoment.Silo.Tests;

public class TriggerTests
{
    private sealed class CollectingSink : IOfferSink
    {
        public ConcurrentQueue<Offer> Offers { get; } = new();

        public void Deliver(Offer offer) => Offers.Enqueue(offer);
    }

    private static SiloOptions AlwaysBuy(int maxPerSession = 1, TimeSpan? cooldown = null) => new()
    {
        Trigger = new TriggerPolicyOptions { BuyThreshold = 1e-6f, MaxOffersPerSession = maxPerSession, Cooldown = cooldown ?? TimeSpan.FromMinutes(5) },
    };

    [Fact]
    public async Task BuyIntentFiresARecommendationWithoutCartAndADiscountWithCart()
    {
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, AlwaysBuy());
        var sink = new CollectingSink();
        silo.Subscribe(sink);
        await silo.WatchAsync(ClickEvent.DefaultTenant, "olga");
        await silo.WatchAsync(ClickEvent.DefaultTenant, "pete");
        await silo.WatchAsync(ClickEvent.DefaultTenant, "nobody-watches-quinn");
        var view = (await silo.IngestAsync([Event("olga", 0)]))[0];
        var cart = (await silo.IngestAsync([Event("pete", 0, EventType.Cart)]))[0];

        Assert.Equal(OfferType.Recommendation, view.Decision!.Offer!.Type);
        Assert.Equal(OfferType.Discount, cart.Decision!.Offer!.Type);
        Assert.Equal(OfferState.Proposed, cart.Decision.Offer.State);
        Assert.Contains("buy-intent", cart.Decision.Offer.Reason);
        Assert.Contains(cart.Score!.Value.BuyProbability.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), cart.Decision.Offer.Reason);
        Assert.Equal(Start, cart.Decision.Offer.CreatedAt);
        Assert.Equal("simple-1", cart.Decision.Offer.PolicyVersion);
        // Watched shoppers' offers reach the sink (pushed by their trigger grains, one-way): wait for both, bounded.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (sink.Offers.Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the watched shoppers' offers did not reach the sink within 10 s; it has {sink.Offers.Count}");
            await Task.Delay(10);
        }
        Assert.Equal(new[] { view.Decision.Offer.Id, cart.Decision.Offer.Id }.Order(), sink.Offers.Select(o => o.Id).Order());
        // An unwatched shopper's offer goes nowhere.
        await silo.UnwatchAsync(ClickEvent.DefaultTenant, "pete");
        var unwatched = (await silo.IngestAsync([Event("pete", 45, EventType.Cart)]))[0];
        Assert.True(unwatched.Decision!.Fired);
        await Task.Delay(100);
        Assert.True(sink.Offers.Count == 2, string.Join(", ", sink.Offers.Select(o => o.UserId + ":" + o.Id)));
        Assert.Equal(3, silo.GetStatistics().OffersFired);
    }

    [Fact]
    public async Task ExitRiskFiresAStillDecidingPopup()
    {
        var options = new SiloOptions { Trigger = new TriggerPolicyOptions { BuyThreshold = 1f, ExitThreshold = 1e-6f } };
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, options);
        var outcome = (await silo.IngestAsync([Event("quinn", 0)]))[0];
        Assert.Equal(OfferType.Popup, outcome.Decision!.Offer!.Type);
        Assert.StartsWith("Still deciding?", outcome.Decision.Offer.Payload.Message);
        Assert.Contains("exit-risk", outcome.Decision.Offer.Reason);
    }

    [Fact]
    public async Task ScoresBelowBothThresholdsAreSuppressedAsBelowThreshold()
    {
        var options = new SiloOptions { Trigger = new TriggerPolicyOptions { BuyThreshold = 1f, ExitThreshold = 1f } };
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, options);
        var outcome = (await silo.IngestAsync([Event("rita", 0)]))[0];
        Assert.False(outcome.Decision!.Fired);
        Assert.Equal("below-threshold", outcome.Decision.SuppressedBecause);
        Assert.Equal(1, silo.GetStatistics().SuppressionsByReason["below-threshold"]);
    }

    [Fact]
    public async Task BuyThresholdsApplyPerCluster()
    {
        await using var probe = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { });
        int cluster = (await probe.IngestAsync([Event("sam", 0)]))[0].Score!.Value.Cluster;
        int other = (cluster + 1) % BundledModel.Features.ClusterCount;

        var lowForIt = new SiloOptions { Trigger = new TriggerPolicyOptions { BuyThreshold = 1f, ExitThreshold = 1f, BuyThresholdByCluster = new Dictionary<int, float> { [cluster] = 1e-6f } } };
        await using (var silo = await EmbeddedSilo.StartAsync(BundledModel, lowForIt))
            Assert.True((await silo.IngestAsync([Event("sam", 0)]))[0].Decision!.Fired);

        var lowForOther = new SiloOptions { Trigger = new TriggerPolicyOptions { BuyThreshold = 1f, ExitThreshold = 1f, BuyThresholdByCluster = new Dictionary<int, float> { [other] = 1e-6f } } };
        await using (var silo = await EmbeddedSilo.StartAsync(BundledModel, lowForOther))
            Assert.Equal("below-threshold", (await silo.IngestAsync([Event("sam", 0)]))[0].Decision!.SuppressedBecause);
    }

    [Fact]
    public async Task CooldownAndSessionCapSuppressFurtherOffers()
    {
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, AlwaysBuy(maxPerSession: 2, cooldown: TimeSpan.FromMinutes(5)));
        var outcomes = await silo.IngestAsync([Event("tess", 0), Event("tess", 1), Event("tess", 6), Event("tess", 20), Event("tess", 60)]);
        Assert.True(outcomes[0].Decision!.Fired);
        Assert.Equal("cooldown", outcomes[1].Decision!.SuppressedBecause);
        Assert.True(outcomes[2].Decision!.Fired);
        Assert.Equal("session-cap", outcomes[3].Decision!.SuppressedBecause);
        Assert.True(outcomes[4].Score!.Value.NewSession);
        Assert.True(outcomes[4].Decision!.Fired); // a new session resets the cap
        var stats = silo.GetStatistics();
        Assert.Equal(1, stats.SuppressionsByReason["cooldown"]);
        Assert.Equal(1, stats.SuppressionsByReason["session-cap"]);
    }

    [Fact]
    public async Task OfferPayloadIsPersonalisedFromTheSession()
    {
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, AlwaysBuy());
        await silo.SetConsentAsync(ClickEvent.DefaultTenant, "uma", new Consent(true, false));
        var session = await silo.IngestAsync(
        [
            Event("uma", 0, product: 5, price: 100f, category: 40),
            Event("uma", 1, product: 6, price: 10f, category: 41),
            Event("uma", 2, product: 5, price: 100f, category: 40),
            Event("uma", 3, product: 7, price: 50f, category: 41),
            Event("uma", 4, product: 5, price: 100f, category: 40),
        ]);
        Assert.All(session, o => Assert.Equal("no-consent", o.Decision!.SuppressedBecause));
        await silo.SetConsentAsync(ClickEvent.DefaultTenant, "uma", Consent.Default);
        var fired = (await silo.IngestAsync([Event("uma", 5, product: 6, price: 10f, category: 42)]))[0];

        var payload = fired.Decision!.Offer!.Payload;
        Assert.Equal(5, payload.ProductId);
        Assert.Equal(40, payload.CategoryId);
        Assert.Equal("electronics.phone", payload.CategoryCode);
        Assert.Equal("high", payload.PriceBand);
        Assert.Contains("product 5", payload.Message);
        Assert.Equal(5, fired.Score!.Value.Position); // consent for offers does not touch the session
    }

    [Fact]
    public async Task FeedbackMovesAnOfferThroughItsLifeAndRefusesInvalidTransitions()
    {
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, AlwaysBuy());
        var id = (await silo.IngestAsync([Event("vic", 0)]))[0].Decision!.Offer!.Id;
        var at = Start.AddMinutes(1);

        Assert.Equal(FeedbackOutcome.InvalidTransition, await silo.RecordFeedbackAsync(id, OfferFeedback.Clicked, at));
        Assert.Equal(FeedbackOutcome.Recorded, await silo.RecordFeedbackAsync(id, OfferFeedback.Shown, at));
        Assert.Equal(FeedbackOutcome.InvalidTransition, await silo.RecordFeedbackAsync(id, OfferFeedback.Shown, at));
        Assert.Equal(FeedbackOutcome.Recorded, await silo.RecordFeedbackAsync(id, OfferFeedback.Clicked, at));
        Assert.Equal(FeedbackOutcome.InvalidTransition, await silo.RecordFeedbackAsync(id, OfferFeedback.Dismissed, at));
        Assert.Equal(FeedbackOutcome.Recorded, await silo.RecordFeedbackAsync(id, OfferFeedback.Converted, at));
        Assert.Equal(FeedbackOutcome.InvalidTransition, await silo.RecordFeedbackAsync(id, OfferFeedback.Converted, at));

        Assert.Equal(FeedbackOutcome.UnknownOffer, await silo.RecordFeedbackAsync(id[..^1] + "f", OfferFeedback.Shown, at));
        Assert.Equal(FeedbackOutcome.UnknownOffer, await silo.RecordFeedbackAsync("not-an-offer", OfferFeedback.Shown, at));
        await Assert.ThrowsAsync<ArgumentException>(async () => await silo.RecordFeedbackAsync(id, OfferFeedback.Shown, DateTime.SpecifyKind(at, DateTimeKind.Local)));
        var stats = silo.GetStatistics();
        Assert.Equal(3, stats.FeedbackByOutcome["Recorded"]);
        Assert.Equal(4, stats.FeedbackByOutcome["InvalidTransition"]);
        Assert.Empty((await silo.GetUserAsync(ClickEvent.DefaultTenant, "vic"))!.ActiveOffers);
    }

    [Fact]
    public async Task AnUnconfirmedProposalExpires()
    {
        var clock = new FakeTimeProvider(SiloNoon);
        var options = AlwaysBuy() with { Trigger = new TriggerPolicyOptions { BuyThreshold = 1e-6f, ProposalTimeToLive = TimeSpan.FromSeconds(30) } };
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, options, clock);
        var id = (await silo.IngestAsync([Event("wes", 0)]))[0].Decision!.Offer!.Id;
        Assert.Single((await silo.GetUserAsync(ClickEvent.DefaultTenant, "wes"))!.ActiveOffers);

        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Empty((await silo.GetUserAsync(ClickEvent.DefaultTenant, "wes"))!.ActiveOffers);
        Assert.Equal(FeedbackOutcome.InvalidTransition, await silo.RecordFeedbackAsync(id, OfferFeedback.Shown, Start));
        Assert.Equal(1, silo.GetStatistics().OffersExpired);
    }

    [Fact]
    public async Task APurchaseConvertsTheSessionsShownOffer()
    {
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, AlwaysBuy());
        var id = (await silo.IngestAsync([Event("xia", 0)]))[0].Decision!.Offer!.Id;
        Assert.Equal(FeedbackOutcome.Recorded, await silo.RecordFeedbackAsync(id, OfferFeedback.Shown, Start));
        await silo.IngestAsync([Event("xia", 1, EventType.Cart), Event("xia", 2, EventType.Purchase)]);
        Assert.Equal(1, silo.GetStatistics().OffersAttributed);
        Assert.Equal(FeedbackOutcome.InvalidTransition, await silo.RecordFeedbackAsync(id, OfferFeedback.Clicked, Start));
    }

    [Fact]
    public async Task WithdrawingTrackingErasesTheSessionAndDropsLaterEventsAsOptedOut()
    {
        using var dir = new TempDirectory();
        var options = new SiloOptions { DataDirectory = dir.Path };
        await using (var silo = await EmbeddedSilo.StartAsync(BundledModel, options))
        {
            await silo.IngestAsync([Event("yan", 0, id: "1"), Event("yan", 1, id: "2")]);
            await silo.SetConsentAsync(ClickEvent.DefaultTenant, "yan", new Consent(false, false));
            var view = await silo.GetUserAsync(ClickEvent.DefaultTenant, "yan");
            Assert.False(view!.Consent.Tracking);
            Assert.Empty(view.Timeline);
            Assert.Null(view.Latest);
            Assert.Equal(0, view.EventsApplied);
            var dropped = (await silo.IngestAsync([Event("yan", 2, id: "3")]))[0];
            Assert.Equal(IngestStatus.OptedOut, dropped.Status);
            Assert.Null(dropped.Score);
        }

        await using (var restarted = await EmbeddedSilo.StartAsync(BundledModel, options))
        {
            Assert.Equal(IngestStatus.OptedOut, (await restarted.IngestAsync([Event("yan", 3)]))[0].Status);
            Assert.Equal(1, restarted.GetStatistics().SuppressionsByReason["opted-out"]);
            await restarted.SetConsentAsync(ClickEvent.DefaultTenant, "yan", Consent.Default);
            var back = (await restarted.IngestAsync([Event("yan", 4, id: "1")]))[0];
            Assert.Equal(IngestStatus.Accepted, back.Status); // the old ids were erased with the rest
            Assert.Equal(0, back.Score!.Value.Position);
        }
    }

    [Fact]
    public async Task TheUserViewGivesAttentionWeightsAsASoftmaxOverTheSession()
    {
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { });
        var outcomes = await silo.IngestAsync([.. Enumerable.Range(0, 6).Select(i => Event("zoe", i, i == 4 ? EventType.Cart : EventType.View, product: 10 + i % 2, id: $"z{i}"))]);
        var view = (await silo.GetUserAsync(ClickEvent.DefaultTenant, "zoe"))!;
        var scores = outcomes.Select(o => (double)o.Score!.Value.AttentionLogit).ToArray();
        double max = scores.Max(), total = scores.Sum(s => Math.Exp(s - max));
        Assert.Equal(6, view.Timeline.Count);
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(Math.Exp(scores[i] - max) / total, view.Timeline[i].AttentionWeight, 1e-4);
            Assert.Equal($"z{i}", view.Timeline[i].EventId);
            Assert.Equal(outcomes[i].Score!.Value.BuyProbability, view.Timeline[i].BuyProbability);
        }

        Assert.Equal(1.0, view.Timeline.Sum(t => t.AttentionWeight), 1e-4);
        Assert.Equal(Start, view.SessionStart);
        Assert.Equal(outcomes[^1].Score, view.Latest);
        Assert.Equal(BundledModel.Features.ClusterNames[view.Latest!.Value.Cluster], view.ClusterName);
        Assert.Equal(6, view.RecentDecisions.Count);
    }

    [Fact]
    public async Task TheTimelineKeepsOnlyTheNewestEventsButWeightsStayExact()
    {
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { TimelineCapacity = 4 });
        var outcomes = await silo.IngestAsync([.. Enumerable.Range(0, 10).Select(i => Event("ann", i, id: $"a{i}"))]);
        var view = (await silo.GetUserAsync(ClickEvent.DefaultTenant, "ann"))!;
        Assert.Equal(["a6", "a7", "a8", "a9"], view.Timeline.Select(t => t.EventId));
        var scores = outcomes.Select(o => (double)o.Score!.Value.AttentionLogit).ToArray();
        double max = scores.Max(), total = scores.Sum(s => Math.Exp(s - max));
        Assert.Equal(Math.Exp(scores[9] - max) / total, view.Timeline[3].AttentionWeight, 1e-4);
    }
}
