using System.Globalization;
using MicroMoment.Client;
using Xunit.Abstractions;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// <see cref="ClusterFaultTests"/>' SIGKILL with checkpoint durability (the default): a grain writes its state once 64
/// changes are unwritten (before answering the call that made the 64th), at most 1 s after its first unwritten change
/// (a timer), and when it deactivates. So a crash may lose acknowledged events, but only those of shoppers whose grain
/// lived on the killed silo, fewer than 64 per shopper, and only ones acknowledged after that grain's last write began,
/// which is at most the checkpoint interval (plus the write in flight) before the kill. Nothing may be applied twice.
/// </summary>
[Collection(ClusterFaultCollection.Name)]
public sealed class ClusterCheckpointFaultTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private const string ServerKey = "sk_cluster_checkpoint_test_012345";
    private const int Events = 3_000;

    // SiloOptions' defaults, what Silo:Durability=checkpoint runs with (micromoment silo does not change them).
    private const int CheckpointEvents = 64;
    private static readonly double CheckpointInterval = new Silo.SiloOptions().CheckpointInterval.TotalSeconds;

    // The write a timer started just before the kill, and the timer's own lateness, on a loaded 2-core machine.
    private const double WriteAllowance = 2.0;

    [Fact]
    public async Task KillingASiloLosesOnlyItsShoppersUnwrittenCheckpointAndAppliesNothingTwice()
    {
        Assert.Equal(CheckpointEvents, new Silo.SiloOptions().CheckpointEvents);
        string clusterId = "ckpt-" + Guid.NewGuid().ToString("N")[..8];
        using var cluster = new TestCluster(FaultEnvironment.Azure(azurite, clusterId, "checkpoint"));
        await cluster.StartSilosAsync(3);
        var gateway = await cluster.StartGatewayAsync(ServerKey);
        await using var inspector = await cluster.ConnectInspectorAsync();

        using var client = new MicroMomentClient(gateway.Http, ServerKey, new HttpClient { Timeout = TimeSpan.FromSeconds(30) });
        var replay = new EventReplay(EventReplay.LoadRees46(RepositoryPaths.Rees46Head, Events));
        string Describe() => $"Gateway output:\n{gateway.Process.Output}\nSilo outputs:\n{cluster.SiloOutputs()}";
        replay.Start(client, Describe);
        await replay.WaitAcknowledgedAsync(Events / 3, Describe);

        // Where every active shopper's grain lives, read just before the kill.
        var placement = await inspector.UserGrainSilosAsync();
        var victim = cluster.Silos[1];
        victim.Process.KillHard();
        double killedAt = replay.Clock.Elapsed.TotalSeconds;
        var detection = AzureMembership.WaitDeclaredDeadAsync(azurite.ConnectionString, clusterId, victim.SiloPort, replay.Clock, TimeSpan.FromSeconds(120));
        await replay.CompletionAsync();
        double streamEnd = replay.Clock.Elapsed.TotalSeconds;
        double deadAt = await detection;
        Assert.True(streamEnd - killedAt > 2, $"The silo was killed {killedAt:0.0} s into a stream of {streamEnd:0.0} s; expected it mid-stream.");

        var check = await replay.CheckAsync(client);
        var times = replay.Ledger.PerUserTimes;
        double windowStart = killedAt - CheckpointInterval - WriteAllowance;
        var wrong = new List<string>();
        int onVictim = 0, losing = 0, maxLost = 0;
        double oldestLostAge = 0;
        foreach (var shopper in check.Shoppers)
        {
            bool victims = placement.TryGetValue(shopper.User, out int port) && port == victim.SiloPort;
            bool survivors = placement.ContainsKey(shopper.User) && !victims;
            if (victims) onVictim++;
            long lost = shopper.Acknowledged - shopper.Applied;
            if (lost < 0) wrong.Add($"{shopper.User}: applied {shopper.Applied}, acknowledged {shopper.Acknowledged} (applied twice)");
            if (lost <= 0) continue;
            losing++;
            maxLost = Math.Max(maxLost, (int)lost);
            if (survivors)
            {
                wrong.Add($"{shopper.User}: lost {lost} though its grain lived on a surviving silo (port {port})");
                continue;
            }

            // The lost events are the last ones acknowledged before the silo was declared dead (no call reached this
            // shopper's grain between the kill and then); the oldest of them must be within the checkpoint window.
            var before = times[shopper.User].Where(t => t < deadAt).ToList();
            if (lost > before.Count)
            {
                wrong.Add($"{shopper.User}: lost {lost}, more than the {before.Count} acknowledged before the kill");
                continue;
            }

            double oldest = before[^(int)lost];
            oldestLostAge = Math.Max(oldestLostAge, killedAt - oldest);
            if (lost > CheckpointEvents - 1) wrong.Add($"{shopper.User}: lost {lost}; a checkpoint is written at {CheckpointEvents} changes");
            if (oldest < windowStart)
                wrong.Add($"{shopper.User}: lost {lost}, the oldest acknowledged {killedAt - oldest:0.00} s before the kill; the checkpoint window is {CheckpointInterval:0.0} s + {WriteAllowance:0.0} s");
        }

        double baseline = replay.Rate(1, killedAt);
        double recovered = replay.RecoveredAt(killedAt, baseline * 0.8, streamEnd);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"durability=checkpoint membership={FaultEnvironment.MembershipName} events={Events} users={check.Shoppers.Count} on_killed_silo={onVictim} acknowledged={check.Acknowledged} applied={check.Applied} lost={check.Lost} applied_twice={check.AppliedTwice} shoppers_losing={losing} max_lost_per_shopper={maxLost} oldest_lost_acknowledged={oldestLostAge:0.00}s_before_kill resent={replay.Ledger.Resent} killed_at={killedAt:0.00}s declared_dead_after={deadAt - killedAt:0.00}s rate_before={baseline:0}/s rate_back_after={recovered - killedAt:0.00}s stream={streamEnd:0.0}s load={FaultEnvironment.LoadAverage()}"));
        Assert.True(onVictim > 0, $"Orleans' management grain placed none of {placement.Count} active user grains on the killed silo (port {victim.SiloPort}).");
        Assert.True(wrong.Count == 0, $"{wrong.Count} shoppers break the checkpoint bound:\n{string.Join('\n', wrong.Take(20))}");
        Assert.Equal(0, check.AppliedTwice);
        Assert.True(replay.Ledger.Count > Events * 9 / 10, $"Only {replay.Ledger.Count} of {Events} events were acknowledged; expected nearly all (the rest rejected as invalid).");
    }
}
