using MicroMoment.Events;
using Microsoft.Extensions.Time.Testing;
using static MicroMoment.Silo.Tests.SiloTestData;

namespace MicroMoment.Silo.Tests;

/// <summary>What is live is decided by the silo clock: unconfirmed offers expire and quiet sessions close without any event or view.</summary>
public class LivenessByClockTests
{
    private const string ExpiryPolicy = """
        version: expiry-1
        maxOffersPerSession: 100
        proposalTimeToLive: 30s
        rules:
          - { name: always, intent: buy, offer: recommendation, thresholds: { default: 0.000001 } }
        experiments:
          - { name: nudge, holdout: 0.2, variants: [ { name: on } ] }
        """;

    [Fact]
    public async Task AProposalPastItsLifetimeIsExpiredByTheClockAndCountedAlikeInStatisticsAndExperiments()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "policy.yaml");
        File.WriteAllText(path, ExpiryPolicy);
        var clock = new FakeTimeProvider(SiloNoon);
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { PolicyPath = path }, clock);
        var outcomes = await silo.IngestAsync([.. Enumerable.Range(0, 12).Select(i => Event("ex-" + i, 0))]);
        var offered = outcomes.Select((o, i) => (o, i)).Where(x => x.o.Decision!.Fired).Select(x => "ex-" + x.i).ToArray();
        long fired = silo.GetStatistics().OffersFired;
        Assert.True(fired >= 2, $"the policy should fire for most shoppers outside the holdout; fired {fired}.");
        Assert.Equal(offered.Length, fired);

        // Not before the end of its life...
        clock.Advance(TimeSpan.FromSeconds(29));
        await silo.RunMaintenanceAsync();
        Assert.Equal(0, silo.GetStatistics().OffersExpired);
        Assert.Equal(0, Expirations(silo));

        // ...and right after it, by the clock alone: no event, view or feedback touched these shoppers.
        clock.Advance(TimeSpan.FromSeconds(2));
        await silo.RunMaintenanceAsync();
        Assert.Equal(fired, silo.GetStatistics().OffersExpired);
        Assert.Equal(fired, Expirations(silo));

        var view = (await silo.GetUserAsync(ClickEvent.DefaultTenant, offered[0]))!;
        Assert.Empty(view.ActiveOffers);
        Assert.Equal(OfferState.Expired, Assert.Single(view.RecentDecisions).Offer!.State);
        Assert.Equal(FeedbackOutcome.InvalidTransition, await silo.RecordFeedbackAsync(view.RecentDecisions[0].Offer!.Id, OfferFeedback.Shown, Start));
        // Reading the view again counts nothing twice.
        Assert.Equal(fired, silo.GetStatistics().OffersExpired);
        Assert.Equal(fired, Expirations(silo));
    }

    [Fact]
    public async Task ASessionIdlePastTheSessionTimeoutIsNeitherCountedOpenByTheCensusNorShownOpen()
    {
        var clock = new FakeTimeProvider(SiloNoon);
        // Grains stay in memory for a day (a silo tuned to keep shoppers warm), and a long proposal life keeps the offer
        // unexpired: only the session clock can tell that the shopper went quiet.
        var options = new SiloOptions
        {
            IdleTimeout = TimeSpan.FromDays(1),
            Trigger = new TriggerPolicyOptions { BuyThreshold = 1e-6f, ProposalTimeToLive = TimeSpan.FromDays(1) },
        };
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, options, clock);
        await silo.IngestAsync([Event("nia", 0), Event("nia", 1), Event("omar", 0)]);
        var census = await silo.CensusAsync(10);
        Assert.Equal(2, census.OpenSessionsByIntent.Values.Sum());
        Assert.Equal(2, census.OpenSessionsByCluster.Sum());
        Assert.Equal(0, census.IdleSessions);
        var open = (await silo.GetUserAsync(ClickEvent.DefaultTenant, "nia"))!;
        Assert.True(open.SessionOpen);
        Assert.Equal(clock.GetUtcNow(), open.LastEventAppliedAt);
        Assert.Single(open.ActiveOffers);

        clock.Advance(BundledModel.SessionTimeout - TimeSpan.FromMinutes(1));
        Assert.True((await silo.GetUserAsync(ClickEvent.DefaultTenant, "nia"))!.SessionOpen);

        clock.Advance(TimeSpan.FromHours(21));
        await silo.IngestAsync([Event("omar", 21 * 60)]);
        await silo.RunMaintenanceAsync();
        census = await silo.CensusAsync(10);
        Assert.Equal(2, census.ActiveGrains);
        Assert.Equal(1, census.OpenSessionsByIntent.Values.Sum());
        Assert.Equal(1, census.OpenSessionsByCluster.Sum());
        Assert.Equal(1, census.IdleSessions);

        var idle = (await silo.GetUserAsync(ClickEvent.DefaultTenant, "nia"))!;
        Assert.False(idle.SessionOpen);
        Assert.Empty(idle.ActiveOffers);
        Assert.Equal(open.SessionStart, idle.SessionStart); // the last session is still shown, as closed
        Assert.Equal(2, idle.Timeline.Count);
        Assert.True((await silo.GetUserAsync(ClickEvent.DefaultTenant, "omar"))!.SessionOpen);
        // Watching the idle shopper (views touch the grain) does not make the session live again.
        Assert.Equal(1, (await silo.CensusAsync(0)).OpenSessionsByIntent.Values.Sum());
    }

    private static long Expirations(EmbeddedSilo silo) =>
        silo.GetExperimentsAsync().AsTask().GetAwaiter().GetResult().Experiments.SelectMany(e => e.Variants).Sum(v => v.Expirations);
}
