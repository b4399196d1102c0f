using System.Diagnostics;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// A silo process whose membership store does not answer stops with exit code 8 and says why. (A gateway waits for the
/// cluster instead, by design; see docs/cluster.md.)
/// </summary>
[Collection(ClusterFaultCollection.Name)]
public sealed class ClusterStartFailureTests
{
    [Fact]
    public async Task ASiloWhoseMembershipStoreDoesNotAnswerExitsWithCode8()
    {
        // Redis membership on a loopback port nothing listens on (1: privileged, never bound by the tests).
        var environment = new Dictionary<string, string>
        {
            ["MICROMOMENT__Cluster__Provider"] = "redis",
            ["MICROMOMENT__Cluster__ConnectionString"] = "127.0.0.1:1",
            ["MICROMOMENT__Storage__Provider"] = "memory",
        };
        using var process = ClusterProcess.Start("silo", "silo", environment,
            $"--Cluster:SiloPort={FreePort.Next()}", $"--Cluster:GatewayPort={FreePort.Next()}", $"--Silo:Urls=http://127.0.0.1:{FreePort.Next()}");
        var clock = Stopwatch.StartNew();
        while (!process.HasExited && clock.Elapsed < TimeSpan.FromSeconds(120)) await Task.Delay(200);

        Assert.True(process.HasExited, $"The silo was still running {clock.Elapsed.TotalSeconds:0} s after it started against a store that does not answer:\n{process.Output}");
        Assert.Equal(ExitCodes.ClusterUnavailable, process.ExitCode);
        Assert.Contains("the silo did not start", process.Output, StringComparison.Ordinal);
    }
}
