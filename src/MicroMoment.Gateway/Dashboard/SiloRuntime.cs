namespace MicroMoment.Gateway.Dashboard;

/// <summary>A silo's runtime statistics (Orleans' <c>SiloRuntimeStatistics</c>).</summary>
/// <param name="TakenAt">When the silo took them (UTC, its own clock).</param>
/// <param name="Activations">Grain activations in the silo (every type, Orleans' own grains included).</param>
/// <param name="RecentlyUsedActivations">Activations used recently (Orleans' working set).</param>
/// <param name="CpuPercent">CPU use, % of all the machine's cores, smoothed by Orleans (0–100).</param>
/// <param name="MemoryUsageBytes">Memory the process uses (GC committed minus fragmented), smoothed by Orleans.</param>
/// <param name="MaximumMemoryBytes">Most memory the process may use (the GC's limit).</param>
/// <param name="ReceivedMessages">Orleans messages received over the process's life.</param>
/// <param name="SentMessages">Orleans messages sent over the process's life.</param>
/// <param name="Clients">Orleans clients connected to the silo's gateway.</param>
/// <param name="Overloaded">Whether Orleans' load shedding judges the silo overloaded.</param>
public sealed record SiloRuntime(
    DateTime TakenAt,
    int Activations,
    int RecentlyUsedActivations,
    double CpuPercent,
    long MemoryUsageBytes,
    long MaximumMemoryBytes,
    long ReceivedMessages,
    long SentMessages,
    long Clients,
    bool Overloaded);
