namespace MicroMoment.Gateway.Dashboard;

/// <summary>One reading of the cluster from Orleans' management grain.</summary>
/// <param name="Silos">Every silo in the membership table that is not dead, in address order.</param>
/// <param name="DeadSilos">Silos the membership table lists as dead.</param>
/// <param name="GrainTypes">Activations per grain class per silo (Orleans' simple grain statistics).</param>
public sealed record ClusterReport(IReadOnlyList<ClusterSilo> Silos, int DeadSilos, IReadOnlyList<GrainTypeActivations> GrainTypes);
