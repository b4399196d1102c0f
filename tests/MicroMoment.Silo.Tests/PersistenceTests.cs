using MicroMoment.Events;
using MicroMoment.Scoring;
using MicroMoment.Silo.Runtime;
using MicroMoment.Silo.Storage;
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
        var options = new SiloOptions { Partitions = 8, BatchSize = 128, DataDirectory = dir.Path };
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
            Partitions = 2,
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
        var clock = new ManualTimeProvider();
        var options = new SiloOptions { Partitions = 1, MaxActivations = 1, DataDirectory = dir.Path, Trigger = new TriggerPolicyOptions { BuyThreshold = 1e-6f } };
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, options, clock);
        string offerId = (await silo.IngestAsync([Event("dave", 0)]))[0].Decision!.Offer!.Id;
        await silo.IngestAsync([Event("erin", 0)]); // evicts dave (cap 1)
        Assert.Equal(1, silo.GetStatistics().Evictions);
        Assert.Equal(FeedbackOutcome.Recorded, await silo.RecordFeedbackAsync(offerId, OfferFeedback.Shown, Start));
        await silo.FlushAsync();
        await silo.IngestAsync([Event("erin", 1)]); // evicts dave again; his state reaches the file
        await silo.FlushAsync();
        Assert.Equal(FeedbackOutcome.Recorded, await silo.RecordFeedbackAsync(offerId, OfferFeedback.Clicked, Start));
    }

    [Fact]
    public async Task EraseRemovesTheUserFromMemoryAndStorage()
    {
        using var dir = new TempDirectory();
        var options = new SiloOptions { Partitions = 2, DataDirectory = dir.Path };
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
    public void StoreRefusesWritesOfAnOwnerWhoseEpochWasTakenOver()
    {
        using var dir = new TempDirectory();
        using var old = SqliteGrainStore.Open(dir.Path, 2);
        using var current = SqliteGrainStore.Open(dir.Path, 2);
        Assert.Equal(old.Epochs[0] + 1, current.Epochs[0]);
        var key = new GrainKey("default", "heidi");
        var fenced = new List<int>();

        Assert.Equal((1, 0), current.Write([Batch(0, current.Epochs[0], key, [1, 2, 3])]));
        Assert.Equal((0, 1), old.Write([Batch(0, old.Epochs[0], key, [9, 9, 9])], fenced));
        Assert.Equal([0], fenced);
        using (var reader = current.CreateReader()) Assert.Equal([1, 2, 3], reader.Read(key));

        // Row-level fencing: a row written under a higher epoch refuses a write of a lower one.
        Assert.Equal((1, 0), current.Write([Batch(0, current.Epochs[0] + 5, key, [4])]));
        Assert.Equal((0, 1), current.Write([Batch(0, current.Epochs[0], key, [5])]));
        using (var reader = current.CreateReader()) Assert.Equal([4], reader.Read(key));
    }

    [Fact]
    public async Task SiloThatLostItsPartitionsStopsWritingAndTakingTheirEvents()
    {
        using var dir = new TempDirectory();
        var options = new SiloOptions { Partitions = 1, DataDirectory = dir.Path };
        await using var stale = await EmbeddedSilo.StartAsync(BundledModel, options);
        await using var owner = await EmbeddedSilo.StartAsync(BundledModel, options);
        Assert.True(owner.Epochs[0] > stale.Epochs[0]);

        await owner.IngestAsync([Event("ivan", 0), Event("ivan", 1)]);
        await owner.FlushAsync();
        await stale.IngestAsync([Event("ivan", 0)]);
        await stale.FlushAsync();

        var stats = stale.GetStatistics();
        Assert.Equal(1, stats.WritesFenced);
        Assert.Equal(1, stats.FencedPartitions);
        var refused = (await stale.IngestAsync([Event("ivan", 2)]))[0];
        Assert.Equal(IngestStatus.Overloaded, refused.Status);
        Assert.Equal("partition-fenced", refused.Reason);
        Assert.Equal(2, (await owner.GetUserAsync(ClickEvent.DefaultTenant, "ivan"))!.EventsApplied);
    }

    [Fact]
    public async Task StartingWithAnotherPartitionCountThanTheStoredStateIsRefused()
    {
        using var dir = new TempDirectory();
        await (await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { Partitions = 4, DataDirectory = dir.Path })).DisposeAsync();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { Partitions = 8, DataDirectory = dir.Path }));
        Assert.Contains("4 partitions", error.Message);
    }

    [Fact]
    public async Task ASessionSavedUnderAnotherModelIsDroppedButConsentAndCountersAreKept()
    {
        using var dir = new TempDirectory();
        var options = new SiloOptions { Partitions = 2, DataDirectory = dir.Path };
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

    [Fact]
    public async Task AnUnreadableStoredStateIsLoggedAndReplacedByAFreshGrain()
    {
        using var dir = new TempDirectory();
        var log = new List<string>();
        var options = new SiloOptions { Partitions = 1, DataDirectory = dir.Path, Log = line => { lock (log) log.Add(line); } };
        await using (var silo = await EmbeddedSilo.StartAsync(BundledModel, options))
        {
            await silo.IngestAsync([Event("lou", 0), Event("lou", 1)]);
        }

        using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir.Path, SqliteGrainStore.FileName)};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE grains SET state = x'02FF'";
            Assert.Equal(1, command.ExecuteNonQuery());
        }

        await using var restarted = await EmbeddedSilo.StartAsync(BundledModel, options);
        var outcome = (await restarted.IngestAsync([Event("lou", 2)]))[0];
        Assert.Equal(IngestStatus.Accepted, outcome.Status);
        Assert.Equal(0, outcome.Score!.Value.Position);
        lock (log) Assert.Contains(log, line => line.Contains("unreadable", StringComparison.Ordinal) && line.Contains("default/lou", StringComparison.Ordinal));
    }

    private static WriteBatch Batch(int partition, long epoch, GrainKey key, byte[] state) =>
        new(partition, epoch, new Dictionary<GrainKey, PendingWrite> { [key] = new(StableHash.Of(key.Tenant, key.UserId), state) });

    private static long CountRows(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM grains";
        return (long)command.ExecuteScalar()!;
    }
}
