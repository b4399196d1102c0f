using System.Globalization;
using Microsoft.Data.Sqlite;
using Orleans.Storage;
using SQLitePCL;

namespace MicroMoment.Silo.Storage;

/// <summary>The writer connection and the group-commit loop.</summary>
public sealed partial class SqliteGrainStorage
{
    // Parameter positions shared by the prepared write statements.
    private const int TypeParameter = 0, KeyParameter = 1, NameParameter = 2;

    private static readonly TimeSpan ErasureRetryDelay = TimeSpan.FromSeconds(1);

    private readonly WriteOperation[] _batch;
    private SqliteConnection? _writer;
    private SqliteCommand? _begin, _commit, _rollback, _insert, _update, _delete, _lookup, _saveNextVersion;
    private TaskCompletionSource? _writerDone;
    private Thread? _writerThread;
    private long _nextVersion;
    private long _maxRowBytes = int.MaxValue;
    private bool _erasurePending;
    private long _committedBatches;
    private long _committedWrites;

    private void OpenWriter()
    {
        var writer = _writer = SqliteStorageFile.Connect(FilePath, SqliteOpenMode.ReadWrite);
        string journal = Scalar(writer, "PRAGMA journal_mode = WAL;");
        if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new SqliteGrainStorageException($"'{FilePath}' could not be switched to write-ahead logging (journal mode '{journal}'); grain storage needs WAL for concurrent reads.");
        }

        SqliteStorageFile.Execute(writer, _options.Synchronous == SqliteSynchronousMode.Full ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;");
        SqliteStorageFile.Execute(writer, "PRAGMA secure_delete = ON;");
        SqliteStorageFile.Execute(writer, "PRAGMA busy_timeout = 10000;");
        // A checkpointed log larger than this is cut back, so one burst does not leave a large file of old frames.
        SqliteStorageFile.Execute(writer, "PRAGMA journal_size_limit = 67108864;");
        _maxRowBytes = raw.sqlite3_limit(writer.Handle, raw.SQLITE_LIMIT_LENGTH, -1);
        _nextVersion = SqliteStorageFile.ReadMeta(writer, FilePath, "next_version");

        _begin = Prepare(writer, "BEGIN IMMEDIATE;");
        _commit = Prepare(writer, "COMMIT;");
        _rollback = Prepare(writer, "ROLLBACK;");
        _insert = Prepare(writer,
            """
            INSERT INTO grain_state (grain_type, grain_key, state_name, version, format, checksum, state, updated_at)
            VALUES ($type, $key, $name, $version, $format, $checksum, $state, $at)
            ON CONFLICT (grain_type, grain_key, state_name) DO NOTHING;
            """,
            ("$type", SqliteType.Text), ("$key", SqliteType.Text), ("$name", SqliteType.Text), ("$version", SqliteType.Integer),
            ("$format", SqliteType.Integer), ("$checksum", SqliteType.Integer), ("$state", SqliteType.Blob), ("$at", SqliteType.Integer));
        _update = Prepare(writer,
            """
            UPDATE grain_state SET version = $version, format = $format, checksum = $checksum, state = $state, updated_at = $at
            WHERE grain_type = $type AND grain_key = $key AND state_name = $name AND version = $expected;
            """,
            ("$type", SqliteType.Text), ("$key", SqliteType.Text), ("$name", SqliteType.Text), ("$version", SqliteType.Integer),
            ("$format", SqliteType.Integer), ("$checksum", SqliteType.Integer), ("$state", SqliteType.Blob), ("$at", SqliteType.Integer),
            ("$expected", SqliteType.Integer));
        _delete = Prepare(writer,
            "DELETE FROM grain_state WHERE grain_type = $type AND grain_key = $key AND state_name = $name AND version = $expected;",
            ("$type", SqliteType.Text), ("$key", SqliteType.Text), ("$name", SqliteType.Text), ("$expected", SqliteType.Integer));
        _lookup = Prepare(writer,
            "SELECT version FROM grain_state WHERE grain_type = $type AND grain_key = $key AND state_name = $name;",
            ("$type", SqliteType.Text), ("$key", SqliteType.Text), ("$name", SqliteType.Text));
        _saveNextVersion = Prepare(writer, "UPDATE meta SET value = $value WHERE key = 'next_version';", ("$value", SqliteType.Integer));
    }

    private void StartWriterLoop()
    {
        _writerDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _writerThread = new Thread(WriterLoop) { IsBackground = true, Name = $"SqliteGrainStorage {_name} writer" };
        _writerThread.Start();
    }

    /// <summary>
    /// Takes everything queued (up to MaxBatch), commits it as one transaction, completes each caller, and repeats
    /// until the queue is completed and empty. While a batch commits, the next one gathers.
    /// </summary>
    private void WriterLoop()
    {
        var reader = _queue.Reader;
        var batch = _batch;
        try
        {
            while (true)
            {
                int count = 0;
                while (count < batch.Length && reader.TryRead(out var operation))
                {
                    batch[count++] = operation;
                }

                if (count > 0)
                {
                    CommitBatch(batch.AsSpan(0, count));
                    Array.Clear(batch, 0, count);
                    continue;
                }

                var wait = reader.WaitToReadAsync();
                if (wait.IsCompleted)
                {
                    if (!wait.GetAwaiter().GetResult())
                    {
                        break;
                    }

                    continue;
                }

                var waiting = wait.AsTask();
                if (_erasurePending && !waiting.Wait(ErasureRetryDelay))
                {
                    Checkpoint(final: false);
                }

                if (!waiting.GetAwaiter().GetResult())
                {
                    break;
                }
            }
        }
        catch (Exception ex)
        {
            LogWriterFailed(ex, _name, FilePath);
        }
        finally
        {
            _writerDone!.TrySetResult();
        }
    }

    private void CommitBatch(Span<WriteOperation> operations)
    {
        long firstVersion = _nextVersion;
        long now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        bool cleared = false;
        try
        {
            _begin!.ExecuteNonQuery();
            foreach (var operation in operations)
            {
                if (operation.IsClear)
                {
                    cleared |= Clear(operation);
                }
                else
                {
                    Write(operation, now);
                }
            }

            if (_nextVersion != firstVersion)
            {
                _saveNextVersion!.Parameters[0].Value = _nextVersion;
                _saveNextVersion.ExecuteNonQuery();
            }

            _commit!.ExecuteNonQuery();
        }
        catch (Exception ex)
        {
            RollBackQuietly();
            _nextVersion = firstVersion;
            LogBatchFailed(ex, _name, FilePath, operations.Length);
            foreach (var operation in operations)
            {
                operation.Fail(operation.Conflict ?? new SqliteGrainStorageException(
                    $"Committing a batch of {operations.Length} grain state change(s) to '{FilePath}' failed, so none of them was written " +
                    $"(this one: {(operation.IsClear ? "clear" : "write")} of state '{operation.StateName}' of grain {operation.GrainType}/{operation.GrainKey}): {ex.Message}",
                    ex));
            }

            return;
        }

        // Erased states leave the log before their callers hear of the clear (clears are rare; writes in the same
        // batch wait for the checkpoint too).
        _erasurePending |= cleared && _options.CheckpointAfterClear;
        if (_erasurePending)
        {
            Checkpoint(final: false);
        }

        int committed = 0;
        foreach (var operation in operations)
        {
            if (operation.Conflict is { } conflict)
            {
                operation.Fail(conflict);
            }
            else
            {
                committed++;
                operation.Succeed(operation.IsClear ? 0 : operation.ExpectedVersion);
            }
        }

        Interlocked.Increment(ref _committedBatches);
        Interlocked.Add(ref _committedWrites, committed);
    }

    /// <summary>Writes one state in the open transaction; on success <see cref="WriteOperation.ExpectedVersion"/> becomes the new version.</summary>
    private void Write(WriteOperation operation, long now)
    {
        long version = _nextVersion;
        bool insert = operation.ExpectedVersion == 0;
        var command = insert ? _insert! : _update!;
        var parameters = command.Parameters;
        BindKey(parameters, operation);
        parameters[3].Value = version;
        parameters[4].Value = _format;
        parameters[5].Value = operation.Checksum;
        parameters[6].Value = operation.State;
        parameters[7].Value = now;
        if (!insert)
        {
            parameters[8].Value = operation.ExpectedVersion;
        }

        int changed = command.ExecuteNonQuery();
        parameters[6].Value = null;
        if (changed == 1)
        {
            _nextVersion = version + 1;
            operation.ExpectedVersion = version;
        }
        else
        {
            operation.Conflict = Conflict(operation, "write");
        }
    }

    /// <summary>Deletes one state in the open transaction; returns whether a row was deleted.</summary>
    private bool Clear(WriteOperation operation)
    {
        if (operation.ExpectedVersion == 0)
        {
            // No ETag: the grain saw no stored state, so a clear is right only if there still is none.
            if (Lookup(operation) is not null)
            {
                operation.Conflict = Conflict(operation, "clear");
            }

            return false;
        }

        var parameters = _delete!.Parameters;
        BindKey(parameters, operation);
        parameters[3].Value = operation.ExpectedVersion;
        if (_delete.ExecuteNonQuery() == 1)
        {
            return true;
        }

        operation.Conflict = Conflict(operation, "clear");
        return false;
    }

    private InconsistentStateException Conflict(WriteOperation operation, string kind)
    {
        long? stored = Lookup(operation);
        string? storedEtag = stored?.ToString(CultureInfo.InvariantCulture);
        string? currentEtag = operation.ExpectedVersion == 0 ? null : operation.ExpectedVersion.ToString(CultureInfo.InvariantCulture);
        return new InconsistentStateException(
            $"Version conflict ({kind}) on state '{operation.StateName}' of grain {operation.GrainType}/{operation.GrainKey} in grain storage '{_name}': " +
            $"the grain's ETag is {currentEtag ?? "none (it saw no stored state)"}, the stored ETag is {storedEtag ?? "none (no stored state)"}; nothing was changed. " +
            "Another activation changed the state: reactivate the grain to read it.",
            storedEtag,
            currentEtag);
    }

    private long? Lookup(WriteOperation operation)
    {
        BindKey(_lookup!.Parameters, operation);
        return _lookup.ExecuteScalar() is long version ? version : null;
    }

    private static void BindKey(SqliteParameterCollection parameters, WriteOperation operation)
    {
        parameters[TypeParameter].Value = operation.GrainType;
        parameters[KeyParameter].Value = operation.GrainKey;
        parameters[NameParameter].Value = operation.StateName;
    }

    private void RollBackQuietly()
    {
        try
        {
            if (_writer is not null && raw.sqlite3_get_autocommit(_writer.Handle) == 0)
            {
                _rollback!.ExecuteNonQuery();
            }
        }
        catch (Exception ex)
        {
            LogRollbackFailed(ex, _name, FilePath);
        }
    }

    /// <summary>
    /// Copies the write-ahead log into the file and truncates it, so erased states leave no copy in the log. Busy
    /// readers can hold it back: then it is tried again after the next batch, or after a second when idle.
    /// </summary>
    private void Checkpoint(bool final)
    {
        if (_writer is null)
        {
            return;
        }

        try
        {
            using var command = _writer.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            using var reader = command.ExecuteReader();
            bool busy = reader.Read() && reader.GetInt32(0) != 0;
            _erasurePending = busy && _options.CheckpointAfterClear;
            if (busy)
            {
                LogCheckpointBusy(_name, FilePath, final);
            }
        }
        catch (SqliteException ex)
        {
            LogCheckpointFailed(ex, _name, FilePath, final);
        }
    }

    private void DisposeConnections()
    {
        lock (_readers)
        {
            while (_readers.TryPop(out var reader))
            {
                reader.Dispose();
            }
        }

        foreach (var command in (ReadOnlySpan<SqliteCommand?>)[_begin, _commit, _rollback, _insert, _update, _delete, _lookup, _saveNextVersion])
        {
            command?.Dispose();
        }

        _begin = _commit = _rollback = _insert = _update = _delete = _lookup = _saveNextVersion = null;
        _writer?.Dispose();
        _writer = null;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params ReadOnlySpan<(string Name, SqliteType Type)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        return command;
    }

    private static string Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
    }
}
