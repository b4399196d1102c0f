namespace MicroMoment.Gateway.Dashboard;

/// <summary>One silo as Orleans reports it: its membership entry and, for an active silo that answered, its runtime statistics.</summary>
/// <param name="Address">The silo's parsable address (host:port@generation).</param>
/// <param name="Name">The silo's name.</param>
/// <param name="HostName">The machine it runs on.</param>
/// <param name="Status">Its membership status (Active, Joining, ShuttingDown, …).</param>
/// <param name="StartedAt">When the silo started (UTC, its own clock).</param>
/// <param name="Runtime">Its runtime statistics, or null when it is not active or did not answer.</param>
/// <param name="Error">Why <paramref name="Runtime"/> or <paramref name="Report"/> is missing for an active silo, else null.</param>
/// <param name="Report">The silo's own counters (events its user grains handled, user grains active) from its report grain, or null.</param>
public sealed record ClusterSilo(string Address, string Name, string HostName, string Status, DateTime StartedAt, SiloRuntime? Runtime, string? Error, Grains.SiloReport? Report = null);
