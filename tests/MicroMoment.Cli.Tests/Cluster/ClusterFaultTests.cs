using Xunit.Abstractions;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// <see cref="SiloKillScenario"/> with membership and grain state in Azurite: SIGKILL one of three silos mid-stream,
/// nothing acknowledged lost, nothing applied twice, the silo marked Dead in the membership table.
/// </summary>
[Collection(ClusterFaultCollection.Name)]
public sealed class ClusterFaultTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public Task KillingASiloMidStreamLosesNoAcknowledgedEventAndAppliesNoneTwice() =>
        SiloKillScenario.RunAsync(
            new Dictionary<string, string>
            {
                ["MICROMOMENT__Cluster__Provider"] = "azure",
                ["MICROMOMENT__Cluster__ConnectionString"] = azurite.ConnectionString,
                ["MICROMOMENT__Storage__Provider"] = "azure",
            },
            (clusterId, victim, clock, limit) => AzureMembership.WaitDeclaredDeadAsync(azurite.ConnectionString, clusterId, victim.SiloPort, clock, limit),
            output);
}
