using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using Microsoft.Data.Sqlite;

namespace MicroMoment.Silo.Storage;

/// <summary>
/// The grain storage file: its schema, its creation (whole or not at all) and the checks that refuse a damaged or
/// foreign file before anything writes to it.
/// </summary>
internal static class SqliteStorageFile
{
    /// <summary><c>PRAGMA application_id</c> of a grain storage file ("MMGS"), kept in the SQLite header.</summary>
    public const int ApplicationId = 0x4D4D4753;

    /// <summary>The schema version this build reads and writes (the <c>schema_version</c> row of <c>meta</c>).</summary>
    public const long SchemaVersion = 1;

    private const int HeaderLength = 100;

    private static ReadOnlySpan<byte> Magic => "SQLite format 3\0"u8;

    private const string Schema =
        """
        CREATE TABLE meta (
          key TEXT PRIMARY KEY,
          value INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE grain_state (
          grain_type TEXT NOT NULL,
          grain_key TEXT NOT NULL,
          state_name TEXT NOT NULL,
          version INTEGER NOT NULL,
          format INTEGER NOT NULL,
          checksum INTEGER NOT NULL,
          state BLOB NOT NULL,
          updated_at INTEGER NOT NULL,
          PRIMARY KEY (grain_type, grain_key, state_name)
        );
        INSERT INTO meta (key, value) VALUES ('schema_version', 1), ('next_version', 1);
        """;

    /// <summary>The 64-bit checksum stored with a state (XxHash3 of its bytes, as a signed SQLite integer).</summary>
    public static long Checksum(ReadOnlySpan<byte> state) => unchecked((long)XxHash3.HashToUInt64(state));

    /// <summary>
    /// Creates an empty grain storage file at <paramref name="path"/> when none exists: built under a temporary
    /// name and renamed into place once complete, so a crash never leaves a half-made file under the real name.
    /// </summary>
    /// <returns>Whether a new file was created.</returns>
    /// <exception cref="SqliteGrainStorageException">The file is missing but its write-ahead log is not.</exception>
    public static bool CreateIfMissing(string path)
    {
        if (File.Exists(path))
        {
            return false;
        }

        var wal = new FileInfo(path + "-wal");
        if (wal.Exists && wal.Length > 0)
        {
            throw new SqliteGrainStorageException(
                $"'{path}' is missing but its write-ahead log '{wal.FullName}' ({wal.Length:N0} bytes) is present: the database was moved or deleted " +
                "while it had changes not yet copied into it. Put the database file back next to its -wal file, or move the -wal file aside to start with empty storage.");
        }

        string temporary = path + ".creating";
        DeleteWithSidecars(temporary);
        using (var connection = Connect(temporary, SqliteOpenMode.ReadWriteCreate))
        {
            Execute(connection, $"PRAGMA application_id = {ApplicationId.ToString(CultureInfo.InvariantCulture)};");
            Execute(connection, "PRAGMA journal_mode = WAL;");
            Execute(connection, "PRAGMA synchronous = FULL;");
            Execute(connection, "BEGIN IMMEDIATE;" + Schema + "COMMIT;");
        }

        File.Move(temporary, path);
        try
        {
            UnixFile.TrySyncDirectory(Path.GetDirectoryName(path)!);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // No C library to call: the rename reaches the disk with the file system's next flush.
        }

        return true;
    }

    /// <summary>
    /// Refuses a file that is not an intact grain storage file, judged from its bytes alone before SQLite opens it:
    /// empty, shorter than its header, not a SQLite file, another application's file, a damaged header, or shorter
    /// than the page count its header gives.
    /// </summary>
    /// <exception cref="SqliteGrainStorageException">The file is refused; the message says why.</exception>
    public static void CheckHeader(string path)
    {
        byte[] header = new byte[HeaderLength];
        long length;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0))
        {
            length = stream.Length;
            if (length == 0)
            {
                throw Damaged(path, "the file is empty (0 bytes), but a grain storage file always holds at least its first page, so this one was emptied or was never a grain storage file");
            }

            if (length < HeaderLength)
            {
                throw Damaged(path, $"the file has only {length} bytes, fewer than the {HeaderLength}-byte SQLite header: it is truncated or not a database");
            }

            stream.ReadExactly(header);
        }

        if (!header.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw Damaged(path, "the file does not start with the SQLite header ('SQLite format 3'): it is not a SQLite database, or its first page is damaged");
        }

        int pageSize = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(16));
        if (pageSize == 1)
        {
            pageSize = 65_536;
        }

        if (pageSize < 512 || !int.IsPow2(pageSize) || header[21] != 64 || header[22] != 32 || header[23] != 32)
        {
            throw Damaged(path, $"its SQLite header is damaged (page size {pageSize}, payload fractions {header[21]}/{header[22]}/{header[23]})");
        }

        int applicationId = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(68));
        if (applicationId != ApplicationId)
        {
            throw Damaged(path, $"it is a SQLite database of another kind (application id 0x{applicationId:X8}, expected 0x{ApplicationId:X8}), not a grain storage file");
        }

        // With a non-empty write-ahead log the file may legitimately lag its header until SQLite replays the log;
        // SQLite's own checks then judge it.
        var wal = new FileInfo(path + "-wal");
        if (wal.Exists && wal.Length > 0)
        {
            return;
        }

        if (length % pageSize != 0)
        {
            throw Damaged(path, $"its length ({length:N0} bytes) is not a whole number of {pageSize:N0}-byte pages: it was truncated or extended");
        }

        uint pages = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(28));
        bool pagesValid = pages != 0 && BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(24)) == BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(92));
        if (pagesValid && (long)pages * pageSize > length)
        {
            throw Damaged(path, $"its header gives {pages:N0} pages ({(long)pages * pageSize:N0} bytes) but the file has {length:N0} bytes: it was truncated");
        }
    }

    /// <summary>
    /// Verifies the file through a read-only connection (which cannot change it): <c>PRAGMA quick_check</c>, the
    /// schema version and, for <see cref="SqliteOpenCheck.Full"/>, every state's checksum. Without a pending
    /// write-ahead log the file is opened as immutable, so the check does not even create the -wal and -shm files.
    /// </summary>
    /// <returns>The stored states counted (only for a full check; otherwise -1).</returns>
    /// <exception cref="SqliteGrainStorageException">The file is refused; the message says why.</exception>
    public static long Verify(string path, SqliteOpenCheck check)
    {
        try
        {
            var wal = new FileInfo(path + "-wal");
            using var connection = wal.Exists && wal.Length > 0
                ? Connect(path, SqliteOpenMode.ReadOnly)
                : Connect(new Uri(Path.GetFullPath(path)).AbsoluteUri + "?immutable=1", SqliteOpenMode.ReadOnly);
            using (var quickCheck = connection.CreateCommand())
            {
                quickCheck.CommandText = "PRAGMA quick_check(5);";
                using var reader = quickCheck.ExecuteReader();
                var problems = new List<string>();
                while (reader.Read())
                {
                    problems.Add(reader.GetString(0));
                }

                if (problems is not ["ok"])
                {
                    throw Damaged(path, $"SQLite's quick_check found damage: {string.Join("; ", problems)}");
                }
            }

            long schema = ReadMeta(connection, path, "schema_version");
            if (schema != SchemaVersion)
            {
                throw Damaged(path,
                    $"it holds grain storage schema version {schema}, but this build reads version {SchemaVersion} (it was written by another build; open it with that build)");
            }

            return check == SqliteOpenCheck.Full ? VerifyChecksums(connection, path) : -1;
        }
        catch (SqliteException ex)
        {
            throw Damaged(path, $"SQLite refused it: {ex.Message}", ex);
        }
    }

    /// <summary>The <c>meta</c> value under <paramref name="key"/>; a missing table or row means a foreign file.</summary>
    public static long ReadMeta(SqliteConnection connection, string path, string key)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = $key;";
        command.Parameters.AddWithValue("$key", key);
        object? value;
        try
        {
            value = command.ExecuteScalar();
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == 1 /* SQLITE_ERROR: no such table */)
        {
            throw Damaged(path, "it has no grain storage schema (no meta table)", ex);
        }

        return value is long number ? number : throw Damaged(path, $"its meta table has no integer '{key}' row");
    }

    /// <summary>An exception refusing <paramref name="path"/> for <paramref name="reason"/>, saying what to do.</summary>
    public static SqliteGrainStorageException Damaged(string path, string reason, Exception? inner = null) =>
        new($"'{path}' cannot be opened as grain storage: {reason.TrimEnd('.')}. The file was left untouched. " +
            "Move it aside (keep it for inspection) and restore the latest backup to that path, or remove it to start with empty storage.", inner);

    /// <summary>Opens a connection with this storage's settings (no pooling: connections are held for the storage's life).</summary>
    public static SqliteConnection Connect(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = mode,
            Pooling = false,
            Cache = SqliteCacheMode.Private,
            DefaultTimeout = 30,
        }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Runs a statement that returns nothing.</summary>
    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long VerifyChecksums(SqliteConnection connection, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT grain_type, grain_key, state_name, checksum, state FROM grain_state;";
        using var reader = command.ExecuteReader();
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        long rows = 0;
        try
        {
            while (reader.Read())
            {
                int length = checked((int)reader.GetBytes(4, 0, null, 0, 0));
                if (length > buffer.Length)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(length);
                }

                reader.GetBytes(4, 0, buffer, 0, length);
                if (Checksum(buffer.AsSpan(0, length)) != reader.GetInt64(3))
                {
                    throw Damaged(path,
                        $"the stored state '{reader.GetString(2)}' of grain {reader.GetString(0)}/{reader.GetString(1)} does not match its checksum (its bytes were changed on disk)");
                }

                rows++;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return rows;
    }

    private static void DeleteWithSidecars(string path)
    {
        foreach (string suffix in (ReadOnlySpan<string>)["", "-journal", "-wal", "-shm"])
        {
            File.Delete(path + suffix);
        }
    }
}
