using MicroMoment.Events;
using MicroMoment.Scoring;
using static MicroMoment.Silo.Tests.SiloTestData;

namespace MicroMoment.Silo.Tests;

/// <summary>A model trained on a clicks-only log has no buy head: the silo serves it, scores no buy probability and never
/// fires a buy-intent offer, whatever the buy threshold.</summary>
public class ExitOnlyModelTests
{
    private static MicroMomentModel ExitOnly()
    {
        var m = BundledModel;
        return new MicroMomentModel(m.Features, m.Network, null, m.ExitCalibration, float.NaN, m.ExitThreshold, m.SessionTimeout, m.Info);
    }

    [Fact]
    public async Task AModelWithoutABuyHeadFiresNoBuyOfferEvenAtTheLowestBuyThresholdButStillFiresExitOffers()
    {
        var options = new SiloOptions { Trigger = new TriggerPolicyOptions { BuyThreshold = 1e-6f, ExitThreshold = 1e-6f, MaxOffersPerSession = 5, Cooldown = TimeSpan.Zero } };
        var model = ExitOnly();
        await using var silo = await EmbeddedSilo.StartAsync(model, options);
        ClickEvent[] events = [Event("ann", 0), Event("ann", 1, EventType.Cart), Event("bob", 0, EventType.Cart), Event("bob", 2, EventType.Cart, product: 1002)];

        var outcomes = await silo.IngestAsync(events);

        // Each exit score is the one the model itself gives the shopper's events in order (a scorer per shopper).
        var scorers = new Dictionary<string, SessionScorer>();
        for (int i = 0; i < events.Length; i++)
        {
            if (!scorers.TryGetValue(events[i].UserId, out var scorer)) scorers[events[i].UserId] = scorer = new SessionScorer(model);
            Assert.Equal(scorer.Score(events[i]).ExitProbability, outcomes[i].Score!.Value.ExitProbability, 1e-5f);
        }
        Assert.All(outcomes, o =>
        {
            Assert.True(float.IsNaN(o.Score!.Value.BuyProbability));
            Assert.NotEqual(Intent.Buy, o.Score.Value.Intent);
            Assert.True(o.Decision!.Fired, o.Decision.SuppressedBecause);
            Assert.Equal(OfferType.Popup, o.Decision.Offer!.Type);
            Assert.Contains("exit-risk", o.Decision.Offer.Reason);
            Assert.Contains("buy none", o.Decision.Offer.Reason);
        });
        var view = await silo.GetUserAsync(ClickEvent.DefaultTenant, "ann");
        Assert.All(view!.Timeline, t => Assert.True(float.IsNaN(t.BuyProbability)));
    }

    [Fact]
    public async Task ResearchRulesOfAModelWithoutABuyHeadReadTheExitHeadAlone()
    {
        var policy = Path.Combine(Path.GetTempPath(), $"mm-research-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(policy, """
            version: research-only
            rules:
              - name: still-browsing
                intent: research
                offer: assist
                thresholds: { default: 0.000001 }
            """);
        try
        {
            await using var silo = await EmbeddedSilo.StartAsync(ExitOnly(), new SiloOptions { PolicyPath = policy });
            var outcome = (await silo.IngestAsync([Event("cid", 0)]))[0];
            Assert.True(outcome.Decision!.Fired, outcome.Decision.SuppressedBecause);
            Assert.Contains("research " + (1 - outcome.Score!.Value.ExitProbability).ToString("0.000", System.Globalization.CultureInfo.InvariantCulture), outcome.Decision.Offer!.Reason);
        }
        finally
        {
            File.Delete(policy);
        }
    }

    [Fact]
    public async Task TheDefaultPolicyOnAModelWithoutABuyHeadFiresOnlyExitOffersOnRealTraffic()
    {
        // "default: model" thresholds: the model has no buy threshold (NaN), so the buy rules never pass; exit-risk does.
        var options = new SiloOptions { PolicyPath = Path.Combine(RepositoryRoot, "policies", "default.yaml") };
        await using var silo = await EmbeddedSilo.StartAsync(ExitOnly(), options);
        var outcomes = new List<IngestOutcome>();
        foreach (var chunk in Rees46.Take(3_000).Chunk(500)) outcomes.AddRange(await silo.IngestAsync(chunk));

        var fired = outcomes.Where(o => o.Decision?.Fired == true).Select(o => o.Decision!.Offer!).ToList();
        Assert.NotEmpty(fired);
        Assert.All(fired, offer => Assert.Contains("rule exit-risk", offer.Reason));
        Assert.All(outcomes.Where(o => o.Score is not null), o => Assert.True(float.IsNaN(o.Score!.Value.BuyProbability)));
    }
}
