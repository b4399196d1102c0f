namespace MicroMoment.Silo;

/// <summary>What the active grains of a silo hold, counted by walking them on their partitions' threads.</summary>
/// <param name="ActiveGrains">User grains active in memory.</param>
/// <param name="OpenSessionsByCluster">Open sessions per cluster index (length = the model's cluster count).</param>
/// <param name="OpenSessionsByIntent">Open sessions per intent name ("Buy", "Research", "Exit").</param>
/// <param name="Hottest">The active grains with the most events applied, most first.</param>
public sealed record SessionCensus(
    long ActiveGrains,
    IReadOnlyList<long> OpenSessionsByCluster,
    IReadOnlyDictionary<string, long> OpenSessionsByIntent,
    IReadOnlyList<HotGrain> Hottest);
