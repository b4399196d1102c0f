using System.Globalization;
using MicroMoment.Client;
using Xunit.Abstractions;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// A fourth silo joins three under load (every-event durability): new shoppers' grains must start landing on it (its
/// <c>/metrics</c> counts user grain activations, and Orleans' management grain places active user grains on it), and
/// every shopper's state must still equal what was acknowledged.
/// </summary>
[Collection(ClusterFaultCollection.Name)]
public sealed class ClusterScaleOutTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private const string ServerKey = "sk_cluster_scale_out_test_0123456";
    private const int Events = 3_000;

    [Fact]
    public async Task AFourthSiloAddedUnderLoadTakesNewShoppersAndNothingIsLostOrAppliedTwice()
    {
        string clusterId = "scale-" + Guid.NewGuid().ToString("N")[..8];
        using var cluster = new TestCluster(FaultEnvironment.Azure(azurite, clusterId, "every-event"));
        await cluster.StartSilosAsync(3);
        var gateway = await cluster.StartGatewayAsync(ServerKey);
        await using var inspector = await cluster.ConnectInspectorAsync();

        using var client = new MicroMomentClient(gateway.Http, ServerKey, new HttpClient { Timeout = TimeSpan.FromSeconds(30) });
        var replay = new EventReplay(EventReplay.LoadRees46(RepositoryPaths.Rees46Head, Events));
        string Describe() => $"Gateway output:\n{gateway.Process.Output}\nSilo outputs:\n{cluster.SiloOutputs()}";
        replay.Start(client, Describe);
        await replay.WaitAcknowledgedAsync(Events / 4, Describe);

        double startedAt = replay.Clock.Elapsed.TotalSeconds;
        var added = await cluster.StartSiloAsync(TimeSpan.FromSeconds(180));
        double readyAt = replay.Clock.Elapsed.TotalSeconds;
        int acknowledgedWhenReady = replay.Ledger.Count;
        Assert.False(replay.Finished, $"The stream ended before the fourth silo was ready ({readyAt - startedAt:0.0} s to start); expected it to join under load.");

        // Placement while the stream still runs: the management grain's view of active user grains.
        await replay.WaitAcknowledgedAsync(Math.Min(acknowledgedWhenReady + (Events - acknowledgedWhenReady) / 2, Events * 9 / 10), Describe);
        var placement = await inspector.UserGrainSilosAsync();
        await replay.CompletionAsync();
        double streamEnd = replay.Clock.Elapsed.TotalSeconds;

        double activations = await cluster.SiloMetricAsync(added, "micromoment_grain_activations_total");
        int placedOnAdded = placement.Values.Count(port => port == added.SiloPort);
        var check = await replay.CheckAsync(client);
        double baseline = replay.Rate(1, startedAt);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fault=add-fourth-silo durability=every-event membership={FaultEnvironment.MembershipName} events={Events} users={check.Shoppers.Count} acknowledged={check.Acknowledged} applied={check.Applied} lost={check.Lost} applied_twice={check.AppliedTwice} resent={replay.Ledger.Resent} started_at={startedAt:0.00}s ready_after={readyAt - startedAt:0.00}s activations_on_new_silo={activations:0} active_user_grains_on_new_silo={placedOnAdded}/{placement.Count} rate_before={baseline:0}/s lowest_rate_while_joining={replay.LowestRate(startedAt, readyAt):0}/s rate_after={replay.Rate(readyAt, streamEnd):0}/s stream={streamEnd:0.0}s load={FaultEnvironment.LoadAverage()}"));

        Assert.True(activations > 0, $"The fourth silo's /metrics counts no user grain activations after {streamEnd - readyAt:0.0} s of the stream.\n{cluster.SiloOutputs()}");
        Assert.True(placedOnAdded > 0, $"Orleans' management grain places none of {placement.Count} active user grains on the fourth silo (port {added.SiloPort}).");
        var mismatches = check.Mismatches.ToList();
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} shoppers' state differs from what was acknowledged (lost {check.Lost}, applied twice {check.AppliedTwice}):\n{string.Join('\n', mismatches.Take(20))}");
        Assert.Equal(replay.Ledger.Count, check.Applied);
        Assert.True(replay.Ledger.Count > Events * 9 / 10, $"Only {replay.Ledger.Count} of {Events} events were acknowledged; expected nearly all (the rest rejected as invalid).");
    }
}
