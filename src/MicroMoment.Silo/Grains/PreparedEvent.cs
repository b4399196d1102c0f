namespace MicroMoment.Silo.Grains;

/// <summary>What phase one of scoring returned for an event, carried to phase three.</summary>
/// <param name="NewSession">The event started a session.</param>
/// <param name="Cluster">The cluster of the prefix.</param>
/// <param name="Position">The event's index in its session.</param>
internal readonly record struct PreparedEvent(bool NewSession, int Cluster, int Position);
