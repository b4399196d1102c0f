using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MicroMoment.Silo.Storage;

/// <summary>
/// Checks an existing state file before the silo opens it for writing, without writing to it: the file must not be
/// empty, must start with the SQLite header, must pass <c>PRAGMA quick_check</c>, and must hold this build's schema
/// (or no tables at all). Anything else is refused with a <see cref="StateFileException"/> that names the file and the
/// way out, so a damaged file is never opened for writing and never replaced by empty state.
/// </summary>
internal static class StateFileCheck
{
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    /// <summary>The tables a state file of this schema holds.</summary>
    private static readonly string[] Tables = ["meta", "partitions", "grains", "experiment_counters"];

    /// <summary>Checks the file at <paramref name="path"/>; returns quietly when it is absent or sound.</summary>
    /// <exception cref="StateFileException">The file is damaged or is not a state file of <paramref name="schemaVersion"/>.</exception>
    public static void Run(string path, int schemaVersion)
    {
        string wal = path + "-wal";
        if (!File.Exists(path))
        {
            if (File.Exists(wal) && new FileInfo(wal).Length > 0)
                throw Refuse(path, $"The state file {path} is missing, but its write-ahead log {wal} is there: the file was deleted or not restored with it. Starting empty would discard the log's data.");
            return;
        }

        long length = new FileInfo(path).Length;
        if (length == 0)
        {
            throw Refuse(path,
                $"The state file {path} is empty (0 bytes). A silo never leaves its state file empty, so its data was lost (a full disk, an interrupted copy or restore) or the file was never written; the silo will not start empty over it.",
                emptyFile: true);
        }

        var header = new byte[SqliteHeader.Length];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        if (read < header.Length || !header.AsSpan().SequenceEqual(SqliteHeader))
            throw Refuse(path, $"The state file {path} ({length:N0} bytes) does not start with the SQLite header: it is damaged, truncated or not a MicroMoment state file.");

        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
            }.ToString());
            connection.Open();
            var problems = QuickCheck(connection);
            if (problems.Count > 0)
            {
                throw Refuse(path,
                    $"The state file {path} is damaged: SQLite's integrity check (PRAGMA quick_check) found {(problems.Count >= 10 ? "10 or more" : problems.Count.ToString(CultureInfo.InvariantCulture))} problem(s), the first: {problems[0]}");
            }

            CheckSchema(connection, path, schemaVersion);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode is SqliteCorrupt or SqliteNotADatabase)
        {
            throw Refuse(path, $"The state file {path} is damaged: SQLite's integrity check (PRAGMA quick_check) stopped with '{Describe(ex)}'.", inner: ex);
        }
        catch (SqliteException ex)
        {
            throw Refuse(path, $"The state file {path} cannot be read: '{Describe(ex)}' (SQLite error {ex.SqliteErrorCode}).", inner: ex);
        }
    }

    /// <summary>SQLite's own words, without the provider's "SQLite Error n: '...'." wrapping.</summary>
    internal static string Describe(SqliteException ex)
    {
        string message = ex.Message;
        int first = message.IndexOf('\'', StringComparison.Ordinal), last = message.LastIndexOf('\'');
        return first >= 0 && last > first ? message[(first + 1)..last] : message.TrimEnd('.');
    }

    private static List<string> QuickCheck(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check(10)";
        var problems = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            string line = reader.GetString(0);
            if (line != "ok") problems.Add(line);
        }

        return problems;
    }

    private static void CheckSchema(SqliteConnection connection, string path, int schemaVersion)
    {
        var tables = new List<string>();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name";
            using var reader = command.ExecuteReader();
            while (reader.Read()) tables.Add(reader.GetString(0));
        }

        // A database with no tables is what a first start leaves when it stops before creating them: nothing to lose.
        if (tables.Count == 0) return;
        if (!tables.Contains("meta"))
        {
            throw Refuse(path,
                $"The file {path} is a SQLite database with tables ({string.Join(", ", tables.Take(8))}) but no MicroMoment metadata: it is not a MicroMoment state file, and the silo will not add its tables to it.");
        }

        string? stored;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT value FROM meta WHERE key = 'schema'";
            stored = command.ExecuteScalar() as string;
        }

        if (stored is null)
            throw Refuse(path, $"The state file {path} has no schema version in its metadata: it is damaged or was not written by MicroMoment.");
        if (stored != schemaVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new StateFileException(path,
                $"The state file {path} holds silo state of schema version {stored}; this build reads version {schemaVersion}. Run the build that wrote it, or start this one with another --data-dir. The file was not changed.");
        }

        var missing = Tables.Where(t => !tables.Contains(t)).ToList();
        if (missing.Count > 0)
            throw Refuse(path, $"The state file {path} lacks the table(s) {string.Join(", ", missing)} of schema version {schemaVersion}: it is damaged.");
    }

    private static StateFileException Refuse(string path, string problem, bool emptyFile = false, Exception? inner = null)
    {
        string directory = System.IO.Path.GetDirectoryName(path) ?? ".";
        string wayOut = emptyFile
            ? $"If you know it held nothing, delete it (or move it aside: mv '{path}' '{path}.empty'); otherwise restore the data directory from a backup."
            : $"Restore the data directory from a backup, or move the file aside with its -wal and -shm files (mv '{path}' '{path}.damaged') to start with empty state; "
              + "the sqlite3 shell's .recover command may salvage shoppers from the damaged copy.";
        return new StateFileException(path, $"{problem} The file was left as it was. {wayOut} (Data directory: {directory}.)", inner);
    }
}
