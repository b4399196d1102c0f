using System.Globalization;
using MicroMoment.Client;
using Xunit.Abstractions;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// A longer stream with repeated crashes, run by hand (tools/cluster-soak.sh): three silos and a gateway on Azurite,
/// every-event durability; the silos are SIGKILLed in turn at evenly spaced points of the stream, each restarted on
/// its ports once the membership table marks it dead. Every shopper's state must equal what was acknowledged.
/// <c>MICROMOMENT_SOAK_EVENTS</c> (default: the whole REES46 head) and <c>MICROMOMENT_SOAK_KILLS</c> (default 5) size it;
/// <c>MICROMOMENT_FAULT_MEMBERSHIP=defaults</c> uses Orleans' membership timing. Prints one line per kill and a total.
/// </summary>
[Collection(ClusterFaultCollection.Name)]
public sealed class ClusterSoakTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private const string ServerKey = "sk_cluster_soak_test_0123456789ab";

    [SoakFact]
    public async Task RepeatedSiloKillsOverALongStreamLoseNothingAndApplyNothingTwice()
    {
        int events = Setting("MICROMOMENT_SOAK_EVENTS", int.MaxValue);
        int kills = Setting("MICROMOMENT_SOAK_KILLS", 5);
        string clusterId = "soak-" + Guid.NewGuid().ToString("N")[..8];
        using var cluster = new TestCluster(FaultEnvironment.Azure(azurite, clusterId, "every-event"));
        var silos = (await cluster.StartSilosAsync(3)).ToArray();
        var gateway = await cluster.StartGatewayAsync(ServerKey);

        using var client = new MicroMomentClient(gateway.Http, ServerKey, new HttpClient { Timeout = TimeSpan.FromSeconds(30) });
        var replay = new EventReplay(EventReplay.LoadRees46(RepositoryPaths.Rees46Head, events), giveUpAfter: TimeSpan.FromMinutes(5));
        int total = replay.Events.Count;
        string Describe() => $"Gateway output:\n{gateway.Process.Output}\nSilo outputs:\n{cluster.SiloOutputs()}";
        replay.Start(client, Describe);

        var detections = new List<double>();
        var recoveries = new List<double>();
        for (int k = 0; k < kills; k++)
        {
            await replay.WaitAcknowledgedAsync((int)((long)total * (k + 1) / (kills + 1)), Describe);
            int index = k % silos.Length;
            var victim = silos[index];
            double before = replay.Rate(Math.Max(1, replay.Clock.Elapsed.TotalSeconds - 20), replay.Clock.Elapsed.TotalSeconds);
            victim.Process.KillHard();
            double killedAt = replay.Clock.Elapsed.TotalSeconds;
            double deadAt = await AzureMembership.WaitDeclaredDeadAsync(azurite.ConnectionString, clusterId, victim.SiloPort, replay.Clock, TimeSpan.FromSeconds(180));
            silos[index] = await cluster.RestartSiloAsync(victim, TimeSpan.FromSeconds(180));
            double readyAt = replay.Clock.Elapsed.TotalSeconds;
            double recovered = replay.RecoveredAt(killedAt, before * 0.8, replay.Clock.Elapsed.TotalSeconds);
            detections.Add(deadAt - killedAt);
            recoveries.Add(recovered - killedAt);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"kill={k + 1} silo={victim.Process.Name} killed_at={killedAt:0.0}s declared_dead_after={deadAt - killedAt:0.00}s restarted_ready_after={readyAt - killedAt:0.0}s rate_before={before:0}/s rate_back_after={recovered - killedAt:0.00}s load={FaultEnvironment.LoadAverage()}"));
            Assert.False(replay.Finished, $"The stream ended during kill {k + 1}; expected every kill mid-stream.");
        }

        await replay.CompletionAsync();
        double streamEnd = replay.Clock.Elapsed.TotalSeconds;
        var check = await replay.CheckAsync(client);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"soak durability=every-event membership={FaultEnvironment.MembershipName} events={total} kills={kills} users={check.Shoppers.Count} acknowledged={check.Acknowledged} applied={check.Applied} lost={check.Lost} applied_twice={check.AppliedTwice} resent={replay.Ledger.Resent} declared_dead_after_median={Median(detections):0.00}s rate_back_after_median={Median(recoveries):0.00}s stream={streamEnd:0.0}s rate={check.Acknowledged / streamEnd:0}/s load={FaultEnvironment.LoadAverage()}"));
        var mismatches = check.Mismatches.ToList();
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} shoppers' state differs from what was acknowledged (lost {check.Lost}, applied twice {check.AppliedTwice}):\n{string.Join('\n', mismatches.Take(20))}");
        Assert.Equal(replay.Ledger.Count, check.Applied);
        Assert.True(replay.Ledger.Count > total * 9 / 10, $"Only {replay.Ledger.Count} of {total} events were acknowledged; expected nearly all (the rest rejected as invalid).");
    }

    private static int Setting(string name, int fallback)
    {
        string? text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        Assert.True(int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0, $"{name} is '{text}'; expected a positive whole number.");
        return value;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Where(double.IsFinite).Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
