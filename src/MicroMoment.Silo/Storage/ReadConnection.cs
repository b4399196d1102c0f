using Microsoft.Data.Sqlite;

namespace MicroMoment.Silo.Storage;

/// <summary>
/// A read-only connection with its prepared statements, used by one reader at a time. In WAL mode each statement
/// reads the newest committed snapshot, so a read sees every write whose commit finished before it started.
/// </summary>
internal sealed class ReadConnection : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _select;
    private readonly SqliteParameter _type;
    private readonly SqliteParameter _key;
    private readonly SqliteParameter _name;

    /// <summary>Opens a read-only connection to <paramref name="path"/> and prepares its statement.</summary>
    public ReadConnection(string path)
    {
        _connection = SqliteStorageFile.Connect(path, SqliteOpenMode.ReadOnly);
        try
        {
            _select = _connection.CreateCommand();
            _select.CommandText = "SELECT version, format, checksum, state FROM grain_state WHERE grain_type = $type AND grain_key = $key AND state_name = $name;";
            _type = _select.Parameters.Add("$type", SqliteType.Text);
            _key = _select.Parameters.Add("$key", SqliteType.Text);
            _name = _select.Parameters.Add("$name", SqliteType.Text);
            _select.Prepare();
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    /// <summary>The stored row of one grain state, or null when there is none.</summary>
    public StoredState? Read(string grainType, string grainKey, string stateName)
    {
        _type.Value = grainType;
        _key.Value = grainKey;
        _name.Value = stateName;
        using var reader = _select.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        return new StoredState(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt64(2), reader.GetFieldValue<byte[]>(3));
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose()
    {
        _select.Dispose();
        _connection.Dispose();
    }
}
