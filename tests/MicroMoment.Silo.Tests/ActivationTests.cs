using MicroMoment.Events;
using Microsoft.Extensions.Time.Testing;
using static MicroMoment.Silo.Tests.SiloTestData;

namespace MicroMoment.Silo.Tests;

public class ActivationTests
{
    [Fact]
    public async Task ManyConcurrentCallersShareOneActivationPerUser()
    {
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { BatchSize = 32 });
        const int callers = 8, calls = 60, users = 10;
        var results = await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
        {
            var mine = new List<IngestOutcome>();
            for (int k = 0; k < calls; k++)
            {
                // Same timestamp for everyone: the session never times out, so positions count applications.
                var batch = Enumerable.Range(0, users).Select(u => Event($"user-{u}", 0, product: c * 1000 + k)).ToArray();
                mine.AddRange(await silo.IngestAsync(batch));
            }

            return mine;
        })));

        Assert.All(results.SelectMany(r => r), o => Assert.Equal(IngestStatus.Accepted, o.Status));
        var stats = silo.GetStatistics();
        Assert.Equal(users, stats.Activations);
        Assert.Equal(users, stats.LiveActivations);
        for (int u = 0; u < users; u++)
        {
            var view = await silo.GetUserAsync(ClickEvent.DefaultTenant, $"user-{u}");
            Assert.Equal(callers * calls, view!.EventsApplied);
        }

        // One state per user: every position 0..n-1 was handed out exactly once per user.
        var positions = results.SelectMany(r => r.Select((o, i) => (User: i % users, o.Score!.Value.Position)))
            .GroupBy(x => x.User).ToDictionary(g => g.Key, g => g.Select(x => x.Position).Order().ToArray());
        Assert.All(positions.Values, p => Assert.Equal(Enumerable.Range(0, callers * calls), p));
    }

    [Fact]
    public async Task IdleGrainWritesItsStateAndLeavesMemoryAfterTheIdleTimeoutBySiloClock()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(SiloNoon);
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { DataDirectory = dir.Path, CheckpointInterval = TimeSpan.FromHours(1) }, clock);
        await silo.IngestAsync([Event("idle", 0), Event("idle", 1), Event("busy", 0)]);
        Assert.Equal(2, silo.GetStatistics().LiveActivations);
        Assert.True(silo.GetStatistics().PendingWrites > 0); // checkpoint an hour away: the changes are only in memory

        clock.Advance(TimeSpan.FromMinutes(20));
        await silo.IngestAsync([Event("busy", 20)]);
        clock.Advance(TimeSpan.FromMinutes(11)); // idle: 31 min without messages; busy: 11 min
        await silo.RunMaintenanceAsync();

        var stats = silo.GetStatistics();
        Assert.Equal(1, stats.LiveActivations);
        Assert.Equal(1, stats.Deactivations);

        // The state was written before the grain left memory: asking for it activates it from storage.
        var view = await silo.GetUserAsync(ClickEvent.DefaultTenant, "idle");
        Assert.Equal(2, view!.EventsApplied);
        Assert.Equal(2, view.Timeline.Count);
        Assert.Equal(3, silo.GetStatistics().Activations);
    }

    [Fact]
    public async Task OrleansIdleCollectionWritesStateThatTheNextActivationReads()
    {
        using var dir = new TempDirectory();
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { DataDirectory = dir.Path, CheckpointInterval = TimeSpan.FromHours(1) });
        foreach (var user in new[] { "a", "b", "c" }) await silo.IngestAsync([Event(user, 0)]);
        await silo.CollectIdleAsync(TimeSpan.Zero);
        Assert.Equal(0, silo.GetStatistics().LiveActivations);
        Assert.Equal(3, silo.GetStatistics().Deactivations);

        var b = await silo.GetUserAsync(ClickEvent.DefaultTenant, "b");
        Assert.Equal(1, b!.EventsApplied);
        var a = (await silo.IngestAsync([Event("a", 2)]))[0];
        Assert.Equal(1, a.Score!.Value.Position);
    }

    [Fact]
    public async Task WithoutPersistenceACollectedGrainStartsOver()
    {
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions());
        await silo.IngestAsync([Event("a", 0), Event("a", 1)]);
        await silo.CollectIdleAsync(TimeSpan.Zero);
        Assert.Null(await silo.GetUserAsync(ClickEvent.DefaultTenant, "a"));
        var again = (await silo.IngestAsync([Event("a", 2)]))[0];
        Assert.Equal(0, again.Score!.Value.Position);
    }
}
