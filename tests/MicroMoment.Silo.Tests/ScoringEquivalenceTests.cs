using MicroMoment.Events;
using MicroMoment.Scoring;
using static MicroMoment.Silo.Tests.SiloTestData;

namespace MicroMoment.Silo.Tests;

public class ScoringEquivalenceTests
{
    [Fact]
    public async Task BatchedPartitionPathEqualsSessionScorerOnTheRees46Sample()
    {
        var events = Rees46;
        Assert.True(events.Length > 17_000);
        // Small batches and few partitions: waves mix many users and often hold several events of one user.
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { BatchSize = 64});
        var outcomes = new List<IngestOutcome>(events.Length);
        foreach (var chunk in events.Chunk(1_500)) outcomes.AddRange(await silo.IngestAsync(chunk));

        var scorers = new Dictionary<(string, string), SessionScorer>();
        int compared = 0;
        for (int i = 0; i < events.Length; i++)
        {
            var e = events[i];
            if (!scorers.TryGetValue((e.Tenant, e.UserId), out var scorer)) scorers[(e.Tenant, e.UserId)] = scorer = BundledModel.CreateScorer();
            var expected = scorer.Score(e);
            var outcome = outcomes[i];
            Assert.Equal(IngestStatus.Accepted, outcome.Status);
            var actual = outcome.Score!.Value;
            Assert.Equal(expected.BuyProbability, actual.BuyProbability, 1e-5f);
            Assert.Equal(expected.ExitProbability, actual.ExitProbability, 1e-5f);
            Assert.Equal(expected.AttentionLogit, actual.AttentionLogit, 1e-5f);
            Assert.Equal(expected.Cluster, actual.Cluster);
            Assert.Equal(expected.Position, actual.Position);
            Assert.Equal(expected.NewSession, actual.NewSession);
            Assert.Equal(expected.Intent, actual.Intent);
            compared++;
        }

        Assert.Equal(events.Length, compared);
        var stats = silo.GetStatistics();
        Assert.Equal(events.Length, stats.EventsAccepted);
        Assert.Equal(scorers.Count, stats.LiveActivations);
        // The batched path really batched: on average several users per network step.
        Assert.True(stats.NetworkRows > 4 * stats.NetworkSteps, $"{stats.NetworkRows} rows in {stats.NetworkSteps} steps");
    }

    [Fact]
    public async Task EventsOfOneUserInOneCallApplyInSubmissionOrder()
    {
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { BatchSize = 16 });
        // 60 events of "alice" interleaved with other users in one call: every batch holds several of hers.
        var batch = new List<ClickEvent>();
        for (int i = 0; i < 60; i++)
        {
            batch.Add(Event("alice", i * 0.5, product: 1000 + i % 7));
            batch.Add(Event($"other-{i % 5}", i * 0.5));
        }

        var outcomes = await silo.IngestAsync(batch);
        var alice = outcomes.Where((_, i) => i % 2 == 0).Select(o => o.Score!.Value.Position).ToArray();
        Assert.Equal(Enumerable.Range(0, 60), alice);
    }

    [Fact]
    public async Task CallsSubmittedOneAfterAnotherApplyInCallOrder()
    {
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { BatchSize = 8 });
        var pending = new List<ValueTask<IReadOnlyList<IngestOutcome>>>();
        for (int i = 0; i < 40; i++) pending.Add(silo.IngestAsync([Event("bob", i)]));
        var positions = new List<int>();
        foreach (var call in pending) positions.Add((await call)[0].Score!.Value.Position);
        Assert.Equal(Enumerable.Range(0, 40), positions);
    }
}
