using MicroMoment.Events;
using MicroMoment.Scoring;
using Microsoft.Data.Sqlite;
using static MicroMoment.Silo.Tests.SiloTestData;

namespace MicroMoment.Silo.Tests;

public class PersistenceTests
{
    [Fact]
    public async Task RestartRestoresSessionsSoScoresEqualAnUninterruptedRun()
    {
        using var dir = new TempDirectory();
        var events = Rees46.Take(4_000).ToArray();
        int half = events.Length / 2;
        var options = new SiloOptions { BatchSize = 128, DataDirectory = dir.Path };
        var outcomes = new List<IngestOutcome>();
        await using (var first = await EmbeddedSilo.StartAsync(BundledModel, options))
        {
            outcomes.AddRange(await first.IngestAsync(events[..half]));
        }

        await using (var second = await EmbeddedSilo.StartAsync(BundledModel, options))
        {
            Assert.Equal(0, second.GetStatistics().LiveActivations); // restored lazily
            outcomes.AddRange(await second.IngestAsync(events[half..]));
            Assert.True(second.GetStatistics().Activations > 0);
        }

        var scorers = new Dictionary<string, SessionScorer>();
        int continued = 0;
        for (int i = 0; i < events.Length; i++)
        {
            if (!scorers.TryGetValue(events[i].UserId, out var scorer)) scorers[events[i].UserId] = scorer = BundledModel.CreateScorer();
            var expected = scorer.Score(events[i]);
            var actual = outcomes[i].Score!.Value;
            Assert.Equal(expected.BuyProbability, actual.BuyProbability, 1e-5f);
            Assert.Equal(expected.ExitProbability, actual.ExitProbability, 1e-5f);
            Assert.Equal(expected.Position, actual.Position);
            Assert.Equal(expected.Cluster, actual.Cluster);
            if (i >= half && actual.Position > 0 && events[..half].Any(e => e.UserId == events[i].UserId)) continued++;
        }

        Assert.True(continued > 50, $"only {continued} events continued a session started before the restart");
    }

    [Fact]
    public async Task RestartRestoresDedupMemoryTriggerStateAndOffers()
    {
        using var dir = new TempDirectory();
        var options = new SiloOptions
        {
            DataDirectory = dir.Path,
            Trigger = new TriggerPolicyOptions { BuyThreshold = 1e-6f, MaxOffersPerSession = 1 },
        };
        string offerId;
        await using (var first = await EmbeddedSilo.StartAsync(BundledModel, options))
        {
            var outcomes = await first.IngestAsync([Event("carol", 0, id: "e1"), Event("carol", 1, id: "e2")]);
            offerId = outcomes[0].Decision!.Offer!.Id;
            Assert.Equal("session-cap", outcomes[1].Decision!.SuppressedBecause);
        }

        await using var second = await EmbeddedSilo.StartAsync(BundledModel, options);
        var again = await second.IngestAsync([Event("carol", 2, id: "e1"), Event("carol", 2, id: "e3")]);
        Assert.Equal(IngestStatus.Duplicate, again[0].Status);
        Assert.Equal(2, again[1].Score!.Value.Position);
        Assert.Equal("session-cap", again[1].Decision!.SuppressedBecause);
        Assert.Equal(FeedbackOutcome.Recorded, await second.RecordFeedbackAsync(offerId, OfferFeedback.Shown, Start.AddMinutes(3)));
        var view = await second.GetUserAsync(ClickEvent.DefaultTenant, "carol");
        Assert.Equal(OfferState.Shown, Assert.Single(view!.ActiveOffers).State);
        Assert.Equal(1, view.DuplicatesDropped);
        Assert.Equal(3, view.EventsApplied);
    }

    [Fact]
    public async Task FeedbackReachesAnOfferWhoseGrainIsNotInMemory()
    {
        using var dir = new TempDirectory();
        var options = new SiloOptions { DataDirectory = dir.Path, Trigger = new TriggerPolicyOptions { BuyThreshold = 1e-6f } };
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, options);
        string offerId = (await silo.IngestAsync([Event("dave", 0)]))[0].Decision!.Offer!.Id;
        await silo.CollectIdleAsync(TimeSpan.Zero); // every grain leaves memory, writing its state
        Assert.Equal(0, silo.GetStatistics().LiveActivations);
        Assert.Equal(FeedbackOutcome.Recorded, await silo.RecordFeedbackAsync(offerId, OfferFeedback.Shown, Start));
        await silo.CollectIdleAsync(TimeSpan.Zero);
        Assert.Equal(FeedbackOutcome.Recorded, await silo.RecordFeedbackAsync(offerId, OfferFeedback.Clicked, Start));
        Assert.Equal(FeedbackOutcome.UnknownOffer, await silo.RecordFeedbackAsync(offerId.Replace(".0", ".7", StringComparison.Ordinal), OfferFeedback.Shown, Start));
    }

    [Fact]
    public async Task EraseRemovesTheUserFromMemoryAndStorage()
    {
        using var dir = new TempDirectory();
        var options = new SiloOptions { DataDirectory = dir.Path };
        await using (var silo = await EmbeddedSilo.StartAsync(BundledModel, options))
        {
            await silo.IngestAsync([Event("frank", 0), Event("grace", 0)]);
            await silo.FlushAsync();
            Assert.Equal(2, CountRows(silo.StatePath!));
            Assert.True(await silo.EraseUserAsync(ClickEvent.DefaultTenant, "frank"));
            Assert.Null(await silo.GetUserAsync(ClickEvent.DefaultTenant, "frank"));
            Assert.Equal(1, CountRows(silo.StatePath!));
            Assert.False(await silo.EraseUserAsync(ClickEvent.DefaultTenant, "nobody"));
        }

        await using (var restarted = await EmbeddedSilo.StartAsync(BundledModel, options))
        {
            Assert.Null(await restarted.GetUserAsync(ClickEvent.DefaultTenant, "frank"));
            Assert.NotNull(await restarted.GetUserAsync(ClickEvent.DefaultTenant, "grace"));
            Assert.False(await restarted.EraseUserAsync(ClickEvent.DefaultTenant, "frank"));
            var fresh = (await restarted.IngestAsync([Event("frank", 5)]))[0];
            Assert.Equal(0, fresh.Score!.Value.Position);
        }
    }

    [Fact]
    public async Task ASessionSavedUnderAnotherModelIsDroppedButConsentAndCountersAreKept()
    {
        using var dir = new TempDirectory();
        var options = new SiloOptions { DataDirectory = dir.Path };
        await using (var silo = await EmbeddedSilo.StartAsync(BundledModel, options))
        {
            await silo.IngestAsync([Event("kim", 0, id: "k1"), Event("kim", 1, id: "k2")]);
            await silo.SetConsentAsync(ClickEvent.DefaultTenant, "kim", new Consent(true, false));
        }

        var m = BundledModel;
        var retrained = new MicroMomentModel(m.Features, m.Network, m.BuyCalibration, m.ExitCalibration, m.BuyThreshold, m.ExitThreshold, m.SessionTimeout, m.Info with { Version = "retrained" });
        await using var next = await EmbeddedSilo.StartAsync(retrained, options);
        var view = (await next.GetUserAsync(ClickEvent.DefaultTenant, "kim"))!;
        Assert.False(view.Consent.Offers);
        Assert.Equal(2, view.EventsApplied);
        Assert.Empty(view.Timeline);
        var outcomes = await next.IngestAsync([Event("kim", 2, id: "k2"), Event("kim", 2, id: "k3")]);
        Assert.Equal(IngestStatus.Duplicate, outcomes[0].Status);
        Assert.Equal(0, outcomes[1].Score!.Value.Position);
    }

    private static long CountRows(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM grain_state WHERE state_name = 'user'";
        return (long)command.ExecuteScalar()!;
    }
}
