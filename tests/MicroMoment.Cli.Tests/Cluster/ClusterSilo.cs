namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>A silo process of a <see cref="TestCluster"/>: its silo-to-silo and Orleans gateway ports and its HTTP root.</summary>
internal sealed record ClusterSilo(ClusterProcess Process, int SiloPort, int GatewayPort, Uri Http);
