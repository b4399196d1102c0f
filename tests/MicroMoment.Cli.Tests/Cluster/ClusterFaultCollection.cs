namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// The tests that run a cluster of processes and measure it under faults: one at a time, and not beside the other test
/// collections (each starts Azurite and four or five .NET processes; on 2 cores two at once starve each other's
/// membership probes and skew the numbers they print).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterFaultCollection
{
    /// <summary>The collection's name, for <c>[Collection(ClusterFaultCollection.Name)]</c>.</summary>
    public const string Name = "Cluster faults";
}
