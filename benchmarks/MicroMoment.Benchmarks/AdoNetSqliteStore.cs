using Microsoft.Data.Sqlite;

namespace MicroMoment.Benchmarks;

/// <summary>
/// A SQLite file prepared for Orleans' ADO.NET grain storage provider, with a table and queries written here from
/// the provider's documented contract: the <c>OrleansQuery</c> table holds the query texts under the keys
/// <c>WriteToStorageKey</c>, <c>ReadFromStorageKey</c>, <c>ClearStorageKey</c> and <c>DeleteStorageKey</c>; the
/// provider binds <c>@GrainIdHash</c>, <c>@GrainIdN0</c>, <c>@GrainIdN1</c>, <c>@GrainTypeHash</c>,
/// <c>@GrainTypeString</c>, <c>@GrainIdExtensionString</c>, <c>@ServiceId</c>, <c>@GrainStateVersion</c> (null when
/// the grain has no ETag) and <c>@PayloadBinary</c>; the read returns <c>PayloadBinary</c> and <c>Version</c>, the
/// write returns <c>NewGrainStateVersion</c> (null or unchanged when the version check failed), a clear returns the
/// new version. Each write is one autocommitted statement, so one transaction per write, as the provider runs it.
/// </summary>
public static class AdoNetSqliteStore
{
    private const string Key =
        "service_id = @ServiceId AND state_name = @GrainTypeString AND grain_n0 = @GrainIdN0 AND grain_n1 = @GrainIdN1 AND grain_ext = coalesce(@GrainIdExtensionString, '')";

    private const string Write =
        $"""
        INSERT INTO bench_grain_state (service_id, state_name, grain_n0, grain_n1, grain_ext, version, payload)
        SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, coalesce(@GrainIdExtensionString, ''), 1, @PayloadBinary
        WHERE @GrainStateVersion IS NULL OR EXISTS (SELECT 1 FROM bench_grain_state WHERE {Key})
        ON CONFLICT (service_id, state_name, grain_n0, grain_n1, grain_ext)
        DO UPDATE SET version = version + 1, payload = excluded.payload WHERE bench_grain_state.version = @GrainStateVersion;
        SELECT CASE WHEN changes() = 1 THEN (SELECT version FROM bench_grain_state WHERE {Key}) END AS NewGrainStateVersion;
        """;

    private const string Read = $"SELECT payload AS PayloadBinary, version AS Version FROM bench_grain_state WHERE {Key};";

    private const string Clear =
        $"""
        UPDATE bench_grain_state SET version = version + 1, payload = NULL WHERE {Key} AND version = @GrainStateVersion;
        SELECT CASE WHEN changes() = 1 THEN (SELECT version FROM bench_grain_state WHERE {Key}) END AS NewGrainStateVersion;
        """;

    private const string Delete =
        $"""
        SELECT CASE WHEN version = @GrainStateVersion THEN version + 1 END FROM bench_grain_state WHERE {Key};
        DELETE FROM bench_grain_state WHERE {Key} AND version = @GrainStateVersion;
        """;

    /// <summary>
    /// Creates the file (WAL mode) with the state table and the query table. With <paramref name="synchronous"/>
    /// set, each write query first sets that <c>PRAGMA synchronous</c> on its (pooled) connection.
    /// </summary>
    public static void Create(string path, string? synchronous)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            PRAGMA journal_mode = WAL;
            CREATE TABLE bench_grain_state (
              service_id TEXT NOT NULL, state_name TEXT NOT NULL, grain_n0 INTEGER NOT NULL, grain_n1 INTEGER NOT NULL,
              grain_ext TEXT NOT NULL, version INTEGER NOT NULL, payload BLOB,
              PRIMARY KEY (service_id, state_name, grain_n0, grain_n1, grain_ext));
            CREATE TABLE OrleansQuery (QueryKey TEXT PRIMARY KEY, QueryText TEXT NOT NULL);
            INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
              ('WriteToStorageKey', $write), ('ReadFromStorageKey', $read), ('ClearStorageKey', $clear), ('DeleteStorageKey', $delete);
            """;
        string prefix = synchronous is null ? "" : $"PRAGMA synchronous = {synchronous};\n";
        command.Parameters.AddWithValue("$write", prefix + Write);
        command.Parameters.AddWithValue("$read", Read);
        command.Parameters.AddWithValue("$clear", Clear);
        command.Parameters.AddWithValue("$delete", Delete);
        command.ExecuteNonQuery();
    }
}
