namespace MicroMoment.Silo;

/// <summary>What the active grains of a silo hold, counted by walking them on their partitions' threads.</summary>
/// <param name="ActiveGrains">User grains active in memory.</param>
/// <param name="OpenSessionsByCluster">Live sessions per cluster index (length = the model's cluster count): sessions whose last event was
/// applied at most the model's session timeout ago by the silo clock.</param>
/// <param name="OpenSessionsByIntent">Live sessions per intent name ("Buy", "Research", "Exit").</param>
/// <param name="Hottest">The active grains with the most events applied, most first.</param>
public sealed record SessionCensus(
    long ActiveGrains,
    IReadOnlyList<long> OpenSessionsByCluster,
    IReadOnlyDictionary<string, long> OpenSessionsByIntent,
    IReadOnlyList<HotGrain> Hottest)
{
    /// <summary>Active grains whose session went idle (no event for longer than the session timeout, by the silo clock): not counted as open.</summary>
    public long IdleSessions { get; init; }
}
