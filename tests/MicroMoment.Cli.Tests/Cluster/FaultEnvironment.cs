namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>The environment of a fault test's processes: membership and grain state in Azure Storage (Azurite), a durability, a membership timing.</summary>
internal static class FaultEnvironment
{
    /// <summary>True when <c>MICROMOMENT_FAULT_MEMBERSHIP=defaults</c> asks for Orleans' default membership timing (hand-run measurements).</summary>
    public static bool OrleansDefaults => Environment.GetEnvironmentVariable("MICROMOMENT_FAULT_MEMBERSHIP") == "defaults";

    /// <summary>The membership timing's name as the tests print it.</summary>
    public static string MembershipName => OrleansDefaults ? "defaults" : "test";

    /// <summary>
    /// Variables for <see cref="TestCluster"/>: cluster <paramref name="clusterId"/> on Azurite, <paramref name="durability"/>
    /// ("every-event" or "checkpoint"), and the test membership timing unless <see cref="OrleansDefaults"/>.
    /// </summary>
    public static Dictionary<string, string> Azure(AzuriteFixture azurite, string clusterId, string durability)
    {
        var environment = new Dictionary<string, string>
        {
            ["MICROMOMENT__Cluster__Provider"] = "azure",
            ["MICROMOMENT__Cluster__ConnectionString"] = azurite.ConnectionString,
            ["MICROMOMENT__Cluster__ClusterId"] = clusterId,
            ["MICROMOMENT__Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["MICROMOMENT__Storage__Provider"] = "azure",
            ["MICROMOMENT__Silo__Durability"] = durability,
        };
        if (!OrleansDefaults)
        {
            // The timing ClusterFaultTests uses: a silo that misses 3 probes of 2 s is voted dead; tables re-read every 2 s.
            environment["MICROMOMENT__Cluster__Membership__ProbeTimeout"] = "00:00:02";
            environment["MICROMOMENT__Cluster__Membership__NumMissedProbesLimit"] = "3";
            environment["MICROMOMENT__Cluster__Membership__TableRefreshTimeout"] = "00:00:02";
        }

        return environment;
    }

    /// <summary>The one-minute load average of this machine (the tests print it: the numbers depend on what else runs).</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
