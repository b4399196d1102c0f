namespace MicroMoment.Silo;

/// <summary>When grains write their state, and so what an acknowledged event means.</summary>
public enum Durability
{
    /// <summary>
    /// A grain writes its state at most <see cref="SiloOptions.CheckpointInterval"/> after it changed, after
    /// <see cref="SiloOptions.CheckpointEvents"/> unwritten changes, and when it is deactivated. An acknowledged event is
    /// applied in memory; a crash loses what changed since the grain's last checkpoint.
    /// </summary>
    Checkpoint,

    /// <summary>A grain writes its state before it answers: an acknowledged event is in storage.</summary>
    EveryEvent,
}
