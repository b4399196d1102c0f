namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>The environment of a test cluster whose membership and grain state live in Azurite, with every-event durability.</summary>
internal static class AzureClusterEnvironment
{
    /// <summary>
    /// Variables for <see cref="TestCluster"/>: azure membership and state on <paramref name="connectionString"/>, a cluster
    /// id of its own, loopback addresses and every-event durability. With <paramref name="testMembership"/> (the default),
    /// a silo that misses 3 probes of 2 s is voted dead and tables are re-read every 2 s; without, Orleans' defaults.
    /// </summary>
    public static Dictionary<string, string> Create(string connectionString, string clusterId, bool testMembership = true)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["MICROMOMENT__Cluster__Provider"] = "azure",
            ["MICROMOMENT__Cluster__ConnectionString"] = connectionString,
            ["MICROMOMENT__Cluster__ClusterId"] = clusterId,
            ["MICROMOMENT__Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["MICROMOMENT__Storage__Provider"] = "azure",
            ["MICROMOMENT__Silo__Durability"] = "every-event",
        };
        if (testMembership)
        {
            environment["MICROMOMENT__Cluster__Membership__ProbeTimeout"] = "00:00:02";
            environment["MICROMOMENT__Cluster__Membership__NumMissedProbesLimit"] = "3";
            environment["MICROMOMENT__Cluster__Membership__TableRefreshTimeout"] = "00:00:02";
        }

        return environment;
    }
}
