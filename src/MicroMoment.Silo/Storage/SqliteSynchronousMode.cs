namespace MicroMoment.Silo.Storage;

/// <summary>When a committed batch of grain state writes reaches the disk (SQLite <c>PRAGMA synchronous</c> in WAL mode).</summary>
public enum SqliteSynchronousMode
{
    /// <summary>
    /// The write-ahead log is synced only at checkpoints: a completed write survives a crash of the process, but a
    /// power loss or operating-system crash can lose the most recent completed writes (never corrupt the file).
    /// </summary>
    Normal = 1,

    /// <summary>The write-ahead log is synced at every commit: a completed write also survives a power loss.</summary>
    Full = 2,
}
