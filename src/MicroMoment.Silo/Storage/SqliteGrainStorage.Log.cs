using Microsoft.Extensions.Logging;

namespace MicroMoment.Silo.Storage;

/// <summary>Log messages of the SQLite grain storage.</summary>
public sealed partial class SqliteGrainStorage
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Grain storage {Name} opened {Path} (created: {Created}, check: {Check}, states checked: {States}) in {Milliseconds:F0} ms")]
    private partial void LogOpened(string name, string path, bool created, SqliteOpenCheck check, long states, double milliseconds);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Grain storage {Name} closed {Path}")]
    private partial void LogClosed(string name, string path);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "Grain storage {Name}: a batch of {Count} changes to {Path} failed and was rolled back")]
    private partial void LogBatchFailed(Exception exception, string name, string path, int count);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Error, Message = "Grain storage {Name}: rolling back a failed batch on {Path} failed")]
    private partial void LogRollbackFailed(Exception exception, string name, string path);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Critical, Message = "Grain storage {Name}: the writer loop of {Path} stopped unexpectedly")]
    private partial void LogWriterFailed(Exception exception, string name, string path);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Warning, Message = "Grain storage {Name}: checkpointing {Path} was held back by readers (final: {Final}); it is retried")]
    private partial void LogCheckpointBusy(string name, string path, bool final);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Error, Message = "Grain storage {Name}: checkpointing {Path} failed (final: {Final})")]
    private partial void LogCheckpointFailed(Exception exception, string name, string path, bool final);
}
