using Xunit.Abstractions;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// <see cref="SiloKillScenario"/> with membership and grain state in Redis (the gateway finds the silos through Redis
/// too): SIGKILL one of three silos mid-stream, nothing acknowledged lost, nothing applied twice, the silo marked Dead in
/// Redis' membership hash.
/// </summary>
[Collection(ClusterFaultCollection.Name)]
public sealed class RedisClusterFaultTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    [Fact]
    public Task KillingASiloMidStreamLosesNoAcknowledgedEventAndAppliesNoneTwice() =>
        SiloKillScenario.RunAsync(
            new Dictionary<string, string>
            {
                ["MICROMOMENT__Cluster__Provider"] = "redis",
                ["MICROMOMENT__Cluster__ConnectionString"] = redis.ConnectionString,
                ["MICROMOMENT__Storage__Provider"] = "redis",
            },
            (clusterId, victim, clock, limit) => RedisMembership.WaitDeclaredDeadAsync(redis.ConnectionString, MicroMoment.Grains.MicroMomentCluster.ServiceId, clusterId, victim.SiloPort, clock, limit),
            output);
}
