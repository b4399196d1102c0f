using System.Globalization;
using MicroMoment.Silo.Runtime;
using Microsoft.Data.Sqlite;

namespace MicroMoment.Silo.Storage;

/// <summary>
/// Grain state in one SQLite file (WAL mode) under the silo's data directory. One connection writes (the
/// write-behind thread, batched transactions); each partition worker reads through its own connection.
/// Every row carries the epoch of the partition owner that wrote it, and a write is refused when its epoch is
/// lower than the row's or than the partition's current epoch, so a silo that lost a partition cannot overwrite
/// the new owner's state. Opening the store takes over every partition: their epochs go up by one.
/// </summary>
/// <remarks>
/// Opening checks an existing file first, without writing to it (<see cref="StateFileCheck"/>): a damaged file or one
/// that is not a state file is refused, never written over. The writer runs with <c>secure_delete</c>, so a deleted or
/// rewritten grain's bytes are overwritten with zeros in the file, and <see cref="TruncateLog"/> empties the write-ahead
/// log once such a change is committed.
/// </remarks>
internal sealed class SqliteGrainStore : IDisposable
{
    /// <summary>The state file's name inside the data directory.</summary>
    public const string FileName = "silo-state.db";

    private const int SchemaVersion = 1;

    private readonly SqliteConnection _writer;
    private readonly SqliteCommand _epochOf;
    private readonly SqliteCommand _upsert;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _upsertCounter;
    private bool _disposed;

    private SqliteGrainStore(string path, int partitions, SqliteConnection writer, long[] epochs)
    {
        Path = path;
        Partitions = partitions;
        _writer = writer;
        Epochs = epochs;
        _epochOf = Command(writer, "SELECT epoch FROM partitions WHERE partition = $p", "$p");
        _upsert = Command(writer,
            """
            INSERT INTO grains (tenant, user_id, partition, key_hash, epoch, state, updated_at)
            VALUES ($tenant, $user, $p, $hash, $epoch, $state, $at)
            ON CONFLICT (tenant, user_id) DO UPDATE SET
              partition = excluded.partition, key_hash = excluded.key_hash, epoch = excluded.epoch,
              state = excluded.state, updated_at = excluded.updated_at
            WHERE excluded.epoch >= grains.epoch
            """,
            "$tenant", "$user", "$p", "$hash", "$epoch", "$state", "$at");
        _delete = Command(writer, "DELETE FROM grains WHERE tenant = $tenant AND user_id = $user AND epoch <= $epoch", "$tenant", "$user", "$epoch");
        _upsertCounter = Command(writer,
            "INSERT INTO experiment_counters (experiment, variant, metric, value) VALUES ($e, $v, $m, $n) ON CONFLICT (experiment, variant, metric) DO UPDATE SET value = excluded.value",
            "$e", "$v", "$m", "$n");
    }

    /// <summary>The state file.</summary>
    public string Path { get; }

    /// <summary>The partition count the file was created with.</summary>
    public int Partitions { get; }

    /// <summary>The epoch this store took for each partition when it opened.</summary>
    public IReadOnlyList<long> Epochs { get; }

    /// <summary>
    /// Opens (creating if needed) the state file in <paramref name="directory"/> and takes over all partitions.
    /// </summary>
    /// <exception cref="StateFileException">The file is damaged, is not a state file, or holds another schema version; it was not changed.</exception>
    /// <exception cref="InvalidOperationException">The file was created with another partition count.</exception>
    public static SqliteGrainStore Open(string directory, int partitions)
    {
        Directory.CreateDirectory(directory);
        string path = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, FileName));
        StateFileCheck.Run(path, SchemaVersion);
        SqliteConnection writer;
        try
        {
            writer = Connect(path);
        }
        catch (SqliteException ex)
        {
            throw new StateFileException(path, $"Opening the state file {path} failed: '{StateFileCheck.Describe(ex)}' (SQLite error {ex.SqliteErrorCode}).", ex);
        }

        try
        {
            Execute(writer, "PRAGMA journal_mode = WAL;");
            Execute(writer, "PRAGMA synchronous = NORMAL;");
            // Deleted and overwritten content is zeroed in the file (an erased shopper leaves no bytes behind).
            Execute(writer, "PRAGMA secure_delete = ON;");
            Execute(writer,
                """
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS partitions (partition INTEGER PRIMARY KEY, epoch INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS grains (
                  id INTEGER PRIMARY KEY,
                  tenant TEXT NOT NULL, user_id TEXT NOT NULL, partition INTEGER NOT NULL, key_hash INTEGER NOT NULL,
                  epoch INTEGER NOT NULL, state BLOB NOT NULL, updated_at INTEGER NOT NULL,
                  UNIQUE (tenant, user_id));
                CREATE INDEX IF NOT EXISTS grains_by_hash ON grains (partition, key_hash);
                CREATE TABLE IF NOT EXISTS experiment_counters (
                  experiment TEXT NOT NULL, variant TEXT NOT NULL, metric TEXT NOT NULL, value INTEGER NOT NULL,
                  PRIMARY KEY (experiment, variant, metric)) WITHOUT ROWID;
                """);
            var epochs = new long[partitions];
            using (var tx = writer.BeginTransaction())
            {
                CheckMeta(writer, tx, "schema", SchemaVersion.ToString(CultureInfo.InvariantCulture),
                    stored => $"'{path}' holds silo state of schema version {stored}; this build reads version {SchemaVersion}. Use a new data directory.");
                CheckMeta(writer, tx, "partitions", partitions.ToString(CultureInfo.InvariantCulture),
                    stored => $"'{path}' was created for {stored} partitions, but the silo is configured with {partitions}; users would hash to other partitions. Set SiloOptions.Partitions = {stored} or use a new data directory.");
                using var takeOver = Command(writer,
                    "INSERT INTO partitions (partition, epoch) VALUES ($p, 1) ON CONFLICT (partition) DO UPDATE SET epoch = epoch + 1 RETURNING epoch", "$p");
                takeOver.Transaction = tx;
                for (int p = 0; p < partitions; p++)
                {
                    takeOver.Parameters[0].Value = p;
                    epochs[p] = Convert.ToInt64(takeOver.ExecuteScalar(), CultureInfo.InvariantCulture);
                }

                tx.Commit();
            }

            return new SqliteGrainStore(path, partitions, writer, epochs);
        }
        catch (SqliteException ex)
        {
            writer.Dispose();
            throw new StateFileException(path, $"Opening the state file {path} failed: '{StateFileCheck.Describe(ex)}' (SQLite error {ex.SqliteErrorCode}).", ex);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <summary>The key hashes of every stored grain, per partition (activation skips the lookup for hashes not listed).</summary>
    public HashSet<ulong>[] LoadKeyHashes()
    {
        var sets = new HashSet<ulong>[Partitions];
        for (int p = 0; p < Partitions; p++) sets[p] = [];
        using var command = Command(_writer, "SELECT partition, key_hash FROM grains");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            int p = reader.GetInt32(0);
            if ((uint)p < (uint)Partitions) sets[p].Add(unchecked((ulong)reader.GetInt64(1)));
        }

        return sets;
    }

    /// <summary>The stored experiment counters (experiment, variant, metric name, value).</summary>
    public List<(string Experiment, string Variant, string Metric, long Value)> LoadExperimentCounters()
    {
        var rows = new List<(string, string, string, long)>();
        using var command = Command(_writer, "SELECT experiment, variant, metric, value FROM experiment_counters ORDER BY experiment, variant, metric");
        using var reader = command.ExecuteReader();
        while (reader.Read()) rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3)));
        return rows;
    }

    /// <summary>A reader with its own connection, for one partition worker.</summary>
    public GrainStoreReader CreateReader() => new(Connect(Path));

    /// <summary>The current epoch of a partition in the file (another silo may have raised it).</summary>
    public long CurrentEpoch(int partition)
    {
        _epochOf.Transaction = null;
        _epochOf.Parameters[0].Value = partition;
        return Convert.ToInt64(_epochOf.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Writes the batches in one transaction. A partition whose current epoch in the file is above the batch's
    /// epoch is refused whole; otherwise each row is written only if its stored epoch is not above the batch's.
    /// Returns the rows written and the rows refused; <paramref name="fencedPartitions"/> lists whole refusals.
    /// </summary>
    /// <remarks>When <paramref name="experimentCounters"/> is given, the stored experiment counters are replaced by it in the same transaction.</remarks>
    public (int Written, int Refused) Write(IReadOnlyList<WriteBatch> batches, List<int>? fencedPartitions = null,
        IReadOnlyList<(string Experiment, string Variant, string Metric, long Value)>? experimentCounters = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int written = 0, refused = 0;
        long now = DateTime.UtcNow.Ticks;
        using var tx = _writer.BeginTransaction();
        _epochOf.Transaction = tx;
        _upsert.Transaction = tx;
        _delete.Transaction = tx;
        foreach (var batch in batches)
        {
            _epochOf.Parameters[0].Value = batch.Partition;
            long current = Convert.ToInt64(_epochOf.ExecuteScalar() ?? 0L, CultureInfo.InvariantCulture);
            if (current > batch.Epoch)
            {
                refused += batch.Writes.Count;
                fencedPartitions?.Add(batch.Partition);
                continue;
            }

            foreach (var (key, write) in batch.Writes)
            {
                int changed;
                if (write.State is { } state)
                {
                    _upsert.Parameters[0].Value = key.Tenant;
                    _upsert.Parameters[1].Value = key.UserId;
                    _upsert.Parameters[2].Value = batch.Partition;
                    _upsert.Parameters[3].Value = unchecked((long)write.KeyHash);
                    _upsert.Parameters[4].Value = batch.Epoch;
                    _upsert.Parameters[5].Value = state;
                    _upsert.Parameters[6].Value = now;
                    changed = _upsert.ExecuteNonQuery();
                    if (changed == 0) refused++;
                    else written++;
                }
                else
                {
                    _delete.Parameters[0].Value = key.Tenant;
                    _delete.Parameters[1].Value = key.UserId;
                    _delete.Parameters[2].Value = batch.Epoch;
                    _delete.ExecuteNonQuery();
                    written++;
                }
            }
        }

        if (experimentCounters is not null)
        {
            _upsertCounter.Transaction = tx;
            foreach (var (experiment, variant, metric, value) in experimentCounters)
            {
                _upsertCounter.Parameters[0].Value = experiment;
                _upsertCounter.Parameters[1].Value = variant;
                _upsertCounter.Parameters[2].Value = metric;
                _upsertCounter.Parameters[3].Value = value;
                _upsertCounter.ExecuteNonQuery();
            }
        }

        tx.Commit();
        _epochOf.Transaction = null;
        return (written, refused);
    }

    /// <summary>
    /// Copies the write-ahead log into the file and truncates the log to zero bytes, so page images of deleted or
    /// rewritten grains do not stay in it. Returns false when readers kept part of the log (it is then emptied later).
    /// </summary>
    public bool TruncateLog()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var command = _writer.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        using var reader = command.ExecuteReader();
        return reader.Read() && reader.GetInt32(0) == 0;
    }

    /// <summary>Closes the writer connection.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _epochOf.Dispose();
        _upsert.Dispose();
        _delete.Dispose();
        _upsertCounter.Dispose();
        _writer.Dispose();
    }

    internal static SqliteConnection Connect(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 30000;");
        return connection;
    }

    internal static SqliteCommand Command(SqliteConnection connection, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters) command.Parameters.Add(new SqliteParameter(name, null));
        command.Prepare();
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static void CheckMeta(SqliteConnection connection, SqliteTransaction tx, string key, string expected, Func<string, string> mismatch)
    {
        using var read = connection.CreateCommand();
        read.Transaction = tx;
        read.CommandText = "SELECT value FROM meta WHERE key = $k";
        read.Parameters.AddWithValue("$k", key);
        if (read.ExecuteScalar() is string stored)
        {
            if (stored != expected) throw new InvalidOperationException(mismatch(stored));
            return;
        }

        using var write = connection.CreateCommand();
        write.Transaction = tx;
        write.CommandText = "INSERT INTO meta (key, value) VALUES ($k, $v)";
        write.Parameters.AddWithValue("$k", key);
        write.Parameters.AddWithValue("$v", expected);
        write.ExecuteNonQuery();
    }
}
