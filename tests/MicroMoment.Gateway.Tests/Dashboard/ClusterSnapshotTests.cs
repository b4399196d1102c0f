using System.Text.Json.Nodes;
using MicroMoment.Gateway.Dashboard;
using MicroMoment.Gateway.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MicroMoment.Gateway.Tests.Dashboard;

/// <summary>
/// The Grains and Silos numbers of a cluster of several silos, as the sampler writes them from what Orleans reports:
/// one row per silo, activations per grain type summed over silos and listed per silo, a silo that did not answer kept
/// with its error, and the last good reading kept (with the error) when Orleans stops answering.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ClusterSnapshotTests(DashboardFixture fixture)
{
    private const string Local = "127.0.0.1:11111@1";
    private const string Remote = "10.0.0.2:11111@7";
    private const string Joining = "10.0.0.3:11111@9";
    private const string UserGrain = "MicroMoment.Silo.Grains.UserGrain";
    private const string TriggerGrain = "MicroMoment.Silo.Grains.TriggerGrain";

    private static readonly DateTime Started = new(2026, 1, 2, 3, 0, 0, DateTimeKind.Utc);

    private DashboardSampler Sampler(IClusterStatistics cluster) => new(
        fixture.Gateway.Silo, fixture.Gateway.Host.App.Services.GetRequiredService<GatewayMetrics>(), TimeProvider.System,
        Options.Create(new GatewayOptions()), new DashboardFeatures(), cluster);

    private static SiloRuntime Runtime(DateTime at, int activations, long received) =>
        new(at, activations, activations / 2, 12.5, 300_000_000, 8_000_000_000, received, received / 2, 1, false);

    private static ClusterReport Report(DateTime at, long received) => new(
        [
            new ClusterSilo(Remote, "silo-b", "host-b", "Active", Started, Runtime(at, 40, received), null),
            new ClusterSilo(Joining, "silo-c", "host-c", "Joining", Started.AddHours(1), null, null),
            new ClusterSilo(Local, "silo-a", "host-a", "Active", Started, Runtime(at, 30, received * 2), null),
        ],
        DeadSilos: 2,
        [
            new GrainTypeActivations(Local, UserGrain, 5),
            new GrainTypeActivations(Remote, UserGrain, 7),
            new GrainTypeActivations(Remote, TriggerGrain, 2),
            new GrainTypeActivations(Remote, "Orleans.Runtime.Management.ManagementGrain", 1),
        ]);

    private static JsonNode Row(JsonNode snapshot, string address) =>
        snapshot["silos"]!.AsArray().Single(s => s!["address"]?.GetValue<string>() == address)!;

    [Fact]
    public async Task EverySiloOrleansListsHasOneRowAndGrainCountsAreSummedOverSilos()
    {
        var cluster = new ScriptedCluster(Local) { Next = Report(Started.AddMinutes(10), 1_000) };
        using var sampler = Sampler(cluster);
        await sampler.ReadClusterNowAsync();
        sampler.Sample();
        cluster.Next = Report(Started.AddMinutes(10).AddSeconds(2), 1_600);
        await sampler.ReadClusterNowAsync();
        var snapshot = JsonNode.Parse(sampler.Sample())!;

        Assert.Equal([Remote, Joining, Local], snapshot["silos"]!.AsArray().Select(s => s!["address"]!.GetValue<string>()));
        Assert.Equal(2, snapshot["cluster"]!["deadSilos"]!.GetValue<int>());
        Assert.Equal(Local, snapshot["cluster"]!["localSilo"]!.GetValue<string>());

        var local = Row(snapshot, Local);
        Assert.True(local["local"]!.GetValue<bool>());
        Assert.Equal(30, local["activations"]!.GetValue<int>());
        Assert.Equal(602, local["uptimeSeconds"]!.GetValue<double>()); // its statistics were taken 10 min 2 s after it started
        Assert.Equal(600, local["messagesReceivedPerSec"]!.GetValue<double>()); // (3200 - 2000) / 2 s
        Assert.NotNull(local["process"]); // the gateway's own numbers of the silo in its process
        Assert.Equal("simd", local["backend"]!.GetValue<string>());

        var remote = Row(snapshot, Remote);
        Assert.False(remote["local"]!.GetValue<bool>());
        Assert.Equal(40, remote["activations"]!.GetValue<int>());
        Assert.Equal(300, remote["messagesReceivedPerSec"]!.GetValue<double>());
        Assert.Equal(150, remote["messagesSentPerSec"]!.GetValue<double>());
        Assert.Null(remote["process"]);
        Assert.Null(remote["backend"]);

        var joining = Row(snapshot, Joining);
        Assert.Equal("Joining", joining["status"]!.GetValue<string>());
        Assert.Null(joining["activations"]);
        Assert.Null(joining["cpuPercent"]);

        var grains = snapshot["grains"]!.AsArray();
        var user = grains.Single(g => g!["type"]!.GetValue<string>() == "user")!;
        Assert.Equal(12, user["activations"]!.GetValue<long>());
        Assert.Equal([(Remote, 7L), (Local, 5L)], user["silos"]!.AsArray().Select(s => (s!["silo"]!.GetValue<string>(), s["activations"]!.GetValue<long>())).Order());
        var trigger = grains.Single(g => g!["type"]!.GetValue<string>() == "trigger")!;
        Assert.Equal(2, trigger["activations"]!.GetValue<long>());
        // A MicroMoment grain with no activation anywhere shows 0 (Orleans answered), and Orleans' own grains are listed too.
        Assert.Equal(0, grains.Single(g => g!["type"]!.GetValue<string>() == "experiment-counter")!["activations"]!.GetValue<long>());
        Assert.Equal(1, grains.Single(g => g!["class"]!.GetValue<string>() == "Orleans.Runtime.Management.ManagementGrain")!["activations"]!.GetValue<long>());
    }

    [Fact]
    public async Task WhenOrleansDoesNotAnswerTheLastReadingIsKeptWithTheErrorAndWithoutOneTheProcessRowStands()
    {
        var cluster = new ScriptedCluster(Local) { Failure = new TimeoutException("the membership table did not answer") };
        using var sampler = Sampler(cluster);
        await sampler.ReadClusterNowAsync();
        var first = JsonNode.Parse(sampler.Sample())!;
        Assert.False(first["cluster"]!["available"]!.GetValue<bool>());
        Assert.Equal("the membership table did not answer", first["cluster"]!["error"]!.GetValue<string>());
        Assert.Null(first["grains"]![0]!["activations"]); // unknown, never a made-up 0
        var only = Assert.Single(first["silos"]!.AsArray())!;
        Assert.True(only["local"]!.GetValue<bool>());
        Assert.Null(only["status"]);
        Assert.NotNull(only["process"]);

        cluster.Failure = null;
        cluster.Next = Report(Started.AddMinutes(10), 1_000);
        await sampler.ReadClusterNowAsync();
        cluster.Failure = new InvalidOperationException("silo unreachable");
        await sampler.ReadClusterNowAsync();
        var kept = JsonNode.Parse(sampler.Sample())!;
        Assert.True(kept["cluster"]!["available"]!.GetValue<bool>());
        Assert.Equal("silo unreachable", kept["cluster"]!["error"]!.GetValue<string>());
        Assert.Equal(3, kept["silos"]!.AsArray().Count);
        Assert.Equal(12, kept["grains"]![0]!["activations"]!.GetValue<long>());
    }

    /// <summary>An <see cref="IClusterStatistics"/> that answers what the test sets.</summary>
    private sealed class ScriptedCluster(string local) : IClusterStatistics
    {
        public ClusterReport? Next { get; set; }

        public Exception? Failure { get; set; }

        public string? LocalSilo => local;

        public Task<ClusterReport> GetAsync(CancellationToken cancellationToken = default) =>
            Failure is { } failure ? Task.FromException<ClusterReport>(failure) : Task.FromResult(Next ?? throw new InvalidOperationException("No report set."));

        public Task<string?> LocateAsync(string tenant, string userId, CancellationToken cancellationToken = default) => Task.FromResult<string?>(null);
    }
}
