using Orleans.Storage;

namespace MicroMoment.Silo.Storage;

/// <summary>Options of a <see cref="SqliteGrainStorage"/>: where its file lives and how it commits.</summary>
public sealed class SqliteGrainStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>The default state file name.</summary>
    public const string DefaultFileName = "grains.db";

    /// <summary>The default upper bound on the writes committed in one transaction.</summary>
    public const int DefaultMaxBatch = 1024;

    /// <summary>The largest <see cref="MaxBatch"/> accepted.</summary>
    public const int MaxBatchLimit = 65_536;

    /// <summary>The largest <see cref="ReadConnections"/> accepted.</summary>
    public const int ReadConnectionsLimit = 64;

    /// <summary>The default silo lifecycle stage at which the storage opens (and, in reverse, closes).</summary>
    public const int DefaultInitStage = ServiceLifecycleStage.ApplicationServices;

    /// <summary>The folder that holds the state file and its lock file (created if missing). Required.</summary>
    public string DataDirectory { get; set; } = "";

    /// <summary>The state file's name inside <see cref="DataDirectory"/>; the lock file is this name plus <c>.lock</c>.</summary>
    public string FileName { get; set; } = DefaultFileName;

    /// <summary>When a completed write is on disk; <see cref="SqliteSynchronousMode.Full"/> by default (survives power loss).</summary>
    public SqliteSynchronousMode Synchronous { get; set; } = SqliteSynchronousMode.Full;

    /// <summary>The most queued writes and clears committed in one transaction (1 to <see cref="MaxBatchLimit"/>).</summary>
    public int MaxBatch { get; set; } = DefaultMaxBatch;

    /// <summary>Read connections kept open for concurrent reads (1 to <see cref="ReadConnectionsLimit"/>).</summary>
    public int ReadConnections { get; set; } = Math.Clamp(Environment.ProcessorCount, 2, 8);

    /// <summary>How much of an existing file is verified before it is opened; <see cref="SqliteOpenCheck.Full"/> by default.</summary>
    public SqliteOpenCheck OpenCheck { get; set; } = SqliteOpenCheck.Full;

    /// <summary>
    /// Whether a committed batch that cleared state is followed by <c>PRAGMA wal_checkpoint(TRUNCATE)</c>, so the
    /// erased bytes leave the write-ahead log at once instead of at the next checkpoint or at close. On by default.
    /// </summary>
    public bool CheckpointAfterClear { get; set; } = true;

    /// <summary>
    /// The number stored with each state to name its byte format (<see cref="SqliteStateFormat"/>). Left null, it
    /// follows the serializer when it is one of Orleans' own; any other serializer needs a number of its own
    /// (<see cref="SqliteStateFormat.FirstCustom"/> or above).
    /// </summary>
    public int? StateFormat { get; set; }

    /// <summary>The silo lifecycle stage at which the storage opens; it must come before grain deactivation.</summary>
    public int InitStage { get; set; } = DefaultInitStage;

    /// <inheritdoc/>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;
}
