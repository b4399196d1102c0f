namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>A gateway process of a <see cref="TestCluster"/> and its HTTP root.</summary>
internal sealed record ClusterGateway(ClusterProcess Process, Uri Http);
