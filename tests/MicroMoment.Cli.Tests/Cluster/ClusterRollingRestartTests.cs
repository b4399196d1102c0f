using System.Globalization;
using MicroMoment.Client;
using Xunit.Abstractions;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// A rolling restart under load: each of three silos in turn gets SIGTERM (what an orchestrator sends), the test waits
/// for the process to exit, starts a new one on the same ports and waits until it is ready before the next. A stopping
/// silo hands its grains over and each writes its state on deactivation, so with either durability every shopper's
/// state must equal what was acknowledged: nothing lost, nothing applied twice. Prints the dip in the acknowledged rate.
/// </summary>
[Collection(ClusterFaultCollection.Name)]
public sealed class ClusterRollingRestartTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private const string ServerKey = "sk_cluster_rolling_test_012345678";
    private const int Events = 4_000;

    [Theory]
    [InlineData("every-event")]
    [InlineData("checkpoint")]
    public async Task RestartingEverySiloInTurnUnderLoadLosesNothingAndAppliesNothingTwice(string durability)
    {
        string clusterId = "roll-" + Guid.NewGuid().ToString("N")[..8];
        using var cluster = new TestCluster(FaultEnvironment.Azure(azurite, clusterId, durability));
        var original = await cluster.StartSilosAsync(3);
        var gateway = await cluster.StartGatewayAsync(ServerKey);

        using var client = new MicroMomentClient(gateway.Http, ServerKey, new HttpClient { Timeout = TimeSpan.FromSeconds(30) });
        // Paced (a lane waits 1.5 s after each batch of 10) so the stream outlasts three restarts at either durability.
        var replay = new EventReplay(EventReplay.LoadRees46(RepositoryPaths.Rees46Head, Events), batch: 10, pause: TimeSpan.FromSeconds(1.5));
        string Describe() => $"Gateway output:\n{gateway.Process.Output}\nSilo outputs:\n{cluster.SiloOutputs()}";
        replay.Start(client, Describe);
        await replay.WaitAcknowledgedAsync(Events / 8, Describe);

        double firstStop = replay.Clock.Elapsed.TotalSeconds;
        var steps = new List<string>();
        foreach (var silo in original)
        {
            double stopAt = replay.Clock.Elapsed.TotalSeconds;
            var exitedAfter = await silo.Process.StopAsync(TimeSpan.FromSeconds(60));
            Assert.True(silo.Process.ExitCode == 0, $"{silo.Process.Name} exited {silo.Process.ExitCode} after SIGTERM; expected 0, a graceful stop (143: the signal ended it before it had stopped):\n{silo.Process.Output}");
            var restarted = await cluster.RestartSiloAsync(silo, TimeSpan.FromSeconds(180));
            double readyAt = replay.Clock.Elapsed.TotalSeconds;
            steps.Add(string.Create(CultureInfo.InvariantCulture, $"{silo.Process.Name}:exit={exitedAfter.TotalSeconds:0.0}s,ready={readyAt - stopAt:0.0}s"));
            Assert.False(replay.Finished, $"The stream ended before {restarted.Process.Name} replaced {silo.Process.Name}; expected every restart under load.");
        }

        double lastReady = replay.Clock.Elapsed.TotalSeconds;
        await replay.CompletionAsync();
        double streamEnd = replay.Clock.Elapsed.TotalSeconds;

        var check = await replay.CheckAsync(client);
        double baseline = replay.Rate(1, firstStop);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fault=rolling-restart durability={durability} membership={FaultEnvironment.MembershipName} events={Events} users={check.Shoppers.Count} acknowledged={check.Acknowledged} applied={check.Applied} lost={check.Lost} applied_twice={check.AppliedTwice} resent={replay.Ledger.Resent} restarts=[{string.Join(' ', steps)}] rolling={lastReady - firstStop:0.0}s rate_before={baseline:0}/s rate_while_rolling={replay.Rate(firstStop, lastReady):0}/s lowest_1s_rate_while_rolling={replay.LowestRate(firstStop, lastReady):0}/s stream={streamEnd:0.0}s load={FaultEnvironment.LoadAverage()}"));

        var mismatches = check.Mismatches.ToList();
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} shoppers' state differs from what was acknowledged (lost {check.Lost}, applied twice {check.AppliedTwice}):\n{string.Join('\n', mismatches.Take(20))}");
        Assert.Equal(replay.Ledger.Count, check.Applied);
        Assert.True(replay.Ledger.Count > Events * 9 / 10, $"Only {replay.Ledger.Count} of {Events} events were acknowledged; expected nearly all (the rest rejected as invalid).");
    }
}
