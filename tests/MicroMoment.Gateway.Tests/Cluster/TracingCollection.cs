namespace MicroMoment.Gateway.Tests.Cluster;

/// <summary>
/// Tests that start a tracer: it listens process-wide, so they run alone (no other test's spans are sampled, and no
/// other test's hot path pays for a listener).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingCollection
{
    public const string Name = "tracing";
}
