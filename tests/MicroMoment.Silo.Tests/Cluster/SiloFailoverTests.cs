using System.Diagnostics;
using MicroMoment.Events;
using Orleans.TestingHost;
using Xunit.Abstractions;
using static MicroMoment.Silo.Tests.SiloTestData;

namespace MicroMoment.Silo.Tests.Cluster;

/// <summary>
/// A silo stopped abruptly: the shoppers whose grains it held are reactivated on the surviving silo from the shared
/// store, and their sessions go on where the store says they were.
/// </summary>
public class SiloFailoverTests(ITestOutputHelper output)
{
    private const int ShoppersOnA = 6;
    private const int ShoppersOnB = 2;
    private static readonly TimeSpan FailoverWithin = TimeSpan.FromSeconds(60);

    [Fact]
    public Task WithEveryEventDurabilityShoppersOfAKilledSiloContinueOnTheSurvivorAsIfUninterrupted() =>
        FailOverAsync(new SiloOptions { Durability = Durability.EveryEvent, Trigger = Policy }, written: k => k);

    [Fact]
    public Task WithCheckpointsShoppersOfAKilledSiloResumeFromTheirLastCheckpointOnTheSurvivor() =>
        // Checkpoints every 4 changes only (the interval is far beyond the test), so what a shopper's grain held past
        // its last multiple of 4 was never written: the survivor must resume from exactly that checkpoint.
        FailOverAsync(
            new SiloOptions { Durability = Durability.Checkpoint, CheckpointEvents = 4, CheckpointInterval = TimeSpan.FromHours(1), Trigger = Policy },
            written: k => k / 4 * 4);

    /// <summary>Every event reaches the trigger grain, so its state (offers, session cap) must survive too.</summary>
    private static TriggerPolicyOptions Policy => new() { BuyThreshold = 1e-6f };

    /// <summary>
    /// Applies the start of REES46 sessions of shoppers placed on silo A (and a few on B), kills A, then checks through
    /// B that each of A's shoppers holds exactly <paramref name="written"/>(events applied) events, sends the rest of
    /// every session (from there) through B, and compares every answer with an uninterrupted run.
    /// </summary>
    private async Task FailOverAsync(SiloOptions options, Func<int, int> written)
    {
        var sessions = Rees46Sessions(ShoppersOnA + ShoppersOnB, minEvents: 14);
        // Shopper i of A applies 5 + i events before the kill (5..10: with checkpoints every 4, some lose a tail, some
        // lose nothing); B's shoppers apply 6 and 9.
        int[] before = [.. Enumerable.Range(0, ShoppersOnA).Select(i => 5 + i), 6, 9];
        var outcomes = sessions.Select(s => new IngestOutcome?[s.Length]).ToArray();

        await using var cluster = await TwoSiloCluster.StartAsync(BundledModel, options);
        var a = cluster.FrontOf(cluster.A);
        var b = cluster.FrontOf(cluster.B);
        var onA = Enumerable.Range(0, ShoppersOnA).ToArray();
        var onB = Enumerable.Range(ShoppersOnA, ShoppersOnB).ToArray();
        await TwoSiloCluster.PlacedOnAsync(cluster.A, () => SendRoundsAsync(a, sessions, outcomes, onA, i => 0, i => before[i]));
        await TwoSiloCluster.PlacedOnAsync(cluster.B, () => SendRoundsAsync(b, sessions, outcomes, onB, i => 0, i => before[i]));
        foreach (int i in onA) AssertLivesOn(cluster, cluster.A, sessions[i][0].UserId);
        foreach (int i in onB) AssertLivesOn(cluster, cluster.B, sessions[i][0].UserId);
        long activationsOnB = b.GetStatistics().Activations;

        var sinceKill = Stopwatch.StartNew();
        var killTook = await cluster.CrashAsync(cluster.A);
        var firstView = await UntilAnsweredAsync(ct => b.GetUserAsync(ClickEvent.DefaultTenant, sessions[onA[0]][0].UserId, ct).AsTask());
        var firstAnswer = sinceKill.Elapsed;

        var resumeAt = new int[sessions.Length];
        foreach (int i in onA)
        {
            var view = i == onA[0] ? firstView : await UntilAnsweredAsync(ct => b.GetUserAsync(ClickEvent.DefaultTenant, sessions[i][0].UserId, ct).AsTask());
            Assert.NotNull(view);
            Assert.Equal(written(before[i]), view.EventsApplied);
            resumeAt[i] = (int)view.EventsApplied;
            AssertLivesOn(cluster, cluster.B, sessions[i][0].UserId);
        }

        foreach (int i in onB)
        {
            // B's shoppers never left B: nothing of theirs was lost, written or not.
            var view = await b.GetUserAsync(ClickEvent.DefaultTenant, sessions[i][0].UserId);
            Assert.Equal(before[i], view!.EventsApplied);
            resumeAt[i] = before[i];
        }

        Assert.Equal(activationsOnB + ShoppersOnA, b.GetStatistics().Activations); // each of A's shoppers' user grains, once
        var all = Enumerable.Range(0, sessions.Length).ToArray();
        await SendRoundsAsync(b, sessions, outcomes, all, i => resumeAt[i], i => sessions[i].Length);
        var total = sinceKill.Elapsed;

        var reference = await UninterruptedAsync(options, sessions);
        int continued = 0;
        for (int i = 0; i < sessions.Length; i++)
        {
            var scorer = BundledModel.CreateScorer();
            for (int j = 0; j < sessions[i].Length; j++)
            {
                var expected = scorer.Score(sessions[i][j]);
                var outcome = outcomes[i][j]!;
                var actual = outcome.Score!.Value;
                Assert.Equal(expected.BuyProbability, actual.BuyProbability, 1e-5f);
                Assert.Equal(expected.ExitProbability, actual.ExitProbability, 1e-5f);
                Assert.Equal(expected.Position, actual.Position);
                Assert.Equal(expected.Cluster, actual.Cluster);
                Assert.Equal(expected.NewSession, actual.NewSession);
                Assert.Equal(reference[i][j].Decision!.Offer?.Id, outcome.Decision!.Offer?.Id);
                Assert.Equal(reference[i][j].Decision!.SuppressedBecause, outcome.Decision.SuppressedBecause);
                if (i < ShoppersOnA && j == resumeAt[i] && actual.Position > 0) continued++;
            }
        }

        Assert.True(continued >= ShoppersOnA / 2, $"only {continued} of A's shoppers resumed in the middle of a session");
        var lost = onA.Sum(i => before[i] - resumeAt[i]);
        output.WriteLine(
            $"{options.Durability}: kill took {killTook.TotalMilliseconds:F0} ms; first answer from the survivor {firstAnswer.TotalMilliseconds:F0} ms after the kill began; " +
            $"all {sessions.Length} sessions finished {total.TotalMilliseconds:F0} ms after it. Events of A's shoppers not in storage at the kill: {lost}; " +
            $"store accesses refused to the dead silo: {cluster.StorageOf(cluster.A).Refused}.");
    }

    /// <summary>
    /// Sends, for each shopper in <paramref name="shoppers"/>, events <paramref name="from"/>(i) up to
    /// <paramref name="to"/>(i) in rounds of one event per shopper (so each grain takes one event per call) and records
    /// the answers, which must all be accepted.
    /// </summary>
    private static async Task<int> SendRoundsAsync(
        IMicroMomentSilo front, ClickEvent[][] sessions, IngestOutcome?[][] outcomes, int[] shoppers, Func<int, int> from, Func<int, int> to)
    {
        int rounds = shoppers.Max(i => to(i) - from(i));
        for (int r = 0; r < rounds; r++)
        {
            var round = shoppers.Where(i => from(i) + r < to(i)).ToArray();
            var answers = await front.IngestAsync(round.Select(i => sessions[i][from(i) + r]).ToArray());
            for (int k = 0; k < round.Length; k++)
            {
                Assert.True(answers[k].Status == IngestStatus.Accepted, $"event {from(round[k]) + r} of shopper {round[k]}: {answers[k].Status} {answers[k].Reason}");
                outcomes[round[k]][from(round[k]) + r] = answers[k];
            }
        }

        return rounds;
    }

    /// <summary>The same sessions on one silo that never stops (the decisions an uninterrupted run takes).</summary>
    private static async Task<IngestOutcome[][]> UninterruptedAsync(SiloOptions options, ClickEvent[][] sessions)
    {
        await using var silo = await EmbeddedSilo.StartAsync(BundledModel, options);
        var outcomes = sessions.Select(s => new IngestOutcome?[s.Length]).ToArray();
        await SendRoundsAsync(silo, sessions, outcomes, Enumerable.Range(0, sessions.Length).ToArray(), i => 0, i => sessions[i].Length);
        return outcomes.Select(o => o.Select(x => x!).ToArray()).ToArray();
    }

    /// <summary>The first <paramref name="count"/> REES46 shoppers with at least <paramref name="minEvents"/> events (their first 16), in file order.</summary>
    private static ClickEvent[][] Rees46Sessions(int count, int minEvents) =>
        Rees46.GroupBy(e => e.UserId).Where(g => g.Count() >= minEvents).Take(count).Select(g => g.Take(16).ToArray()).ToArray();

    private static void AssertLivesOn(TwoSiloCluster cluster, InProcessSiloHandle silo, string userId)
    {
        Assert.Equal(silo.SiloAddress, cluster.WhereIs(cluster.UserGrainOf(ClickEvent.DefaultTenant, userId)));
        Assert.Equal(silo.SiloAddress, cluster.WhereIs(cluster.TriggerGrainOf(ClickEvent.DefaultTenant, userId)));
    }

    /// <summary>
    /// Calls until an answer comes (each try bounded): until the dead silo is declared dead, calls for its grains fail or
    /// go unanswered.
    /// </summary>
    private static async Task<T> UntilAnsweredAsync<T>(Func<CancellationToken, Task<T>> call)
    {
        var elapsed = Stopwatch.StartNew();
        Exception? last = null;
        while (elapsed.Elapsed < FailoverWithin)
        {
            using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                return await call(attempt.Token);
            }
            catch (Exception ex)
            {
                last = ex;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"No answer from the surviving silo within {FailoverWithin.TotalSeconds:0} s; the last error was: {last}");
    }
}
