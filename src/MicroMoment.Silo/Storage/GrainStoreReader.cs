using MicroMoment.Silo.Runtime;
using Microsoft.Data.Sqlite;

namespace MicroMoment.Silo.Storage;

/// <summary>Reads grain rows through its own connection (one per partition worker; not thread-safe).</summary>
internal sealed class GrainStoreReader : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _read;
    private readonly SqliteCommand _byHash;

    /// <summary>Wraps an open connection.</summary>
    public GrainStoreReader(SqliteConnection connection)
    {
        _connection = connection;
        _read = SqliteGrainStore.Command(connection, "SELECT state FROM grains WHERE tenant = $tenant AND user_id = $user", "$tenant", "$user");
        _byHash = SqliteGrainStore.Command(connection, "SELECT tenant, user_id FROM grains WHERE partition = $p AND key_hash = $hash", "$p", "$hash");
    }

    /// <summary>The stored state of <paramref name="key"/>, or null.</summary>
    public byte[]? Read(GrainKey key)
    {
        _read.Parameters[0].Value = key.Tenant;
        _read.Parameters[1].Value = key.UserId;
        return _read.ExecuteScalar() as byte[];
    }

    /// <summary>The stored grains of a partition with the given key hash (normally zero or one).</summary>
    public List<GrainKey> FindByHash(int partition, ulong keyHash)
    {
        _byHash.Parameters[0].Value = partition;
        _byHash.Parameters[1].Value = unchecked((long)keyHash);
        var keys = new List<GrainKey>(1);
        using var reader = _byHash.ExecuteReader();
        while (reader.Read()) keys.Add(new GrainKey(reader.GetString(0), reader.GetString(1)));
        return keys;
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose()
    {
        _read.Dispose();
        _byHash.Dispose();
        _connection.Dispose();
    }
}
