using System.Security.Cryptography;
using System.Text;
using MicroMoment.Silo.Storage;
using Microsoft.Data.Sqlite;
using static MicroMoment.Silo.Tests.Storage.StorageHarness;

namespace MicroMoment.Silo.Tests.Storage;

public class SqliteGrainStorageDamageTests
{
    private const int Rows = 400;

    [Fact]
    public async Task RandomBytesInTheMiddleOfTheFileAreRefused()
    {
        using var dir = new TempDirectory();
        string path = await WriteStoreAsync(dir.Path);
        long length = new FileInfo(path).Length;
        Assert.True(length > 100 * 4096, $"only {length} bytes");
        var noise = new byte[4096];
        new Random(42).NextBytes(noise);
        Overwrite(path, length / 2 + 1234, noise);
        AssertRefused(dir.Path, path, expected: null);
    }

    [Fact]
    public async Task BytesChangedInsideOneStateAreFoundByTheFullCheck()
    {
        using var dir = new TempDirectory();
        string path = await WriteStoreAsync(dir.Path);
        // A change inside a state's bytes leaves every page well-formed, so SQLite's quick_check passes it...
        long at = IndexOf(File.ReadAllBytes(path), Encoding.UTF8.GetBytes("needle-217"));
        Assert.True(at > 0);
        Overwrite(path, at, "NEEDLE"u8.ToArray());
        await using (var quick = Open(dir.Path, o => o.OpenCheck = SqliteOpenCheck.Quick))
        {
            // ...and only that state's checksum tells: its read is refused, other states read fine.
            var ex = await Assert.ThrowsAsync<SqliteGrainStorageException>(() => quick.ReadStateAsync("checkpoint", Shopper("u217"), NewState()));
            Assert.Contains("checksum", ex.Message);
            var fine = NewState();
            await quick.ReadStateAsync("checkpoint", Shopper("u216"), fine);
            Assert.Equal(216, fine.State!.Events);
        }

        // The default full check refuses the file at open, naming the damaged state.
        AssertRefused(dir.Path, path, expected: "checksum");
    }

    [Fact]
    public async Task FileTruncatedToHalfIsRefused()
    {
        using var dir = new TempDirectory();
        string path = await WriteStoreAsync(dir.Path);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.SetLength(stream.Length / 2);
        }

        AssertRefused(dir.Path, path, expected: "truncated");
    }

    [Fact]
    public async Task FileTruncatedInsideItsHeaderIsRefused()
    {
        using var dir = new TempDirectory();
        string path = await WriteStoreAsync(dir.Path);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.SetLength(60);
        }

        AssertRefused(dir.Path, path, expected: "60 bytes");
    }

    [Fact]
    public async Task BadHeaderIsRefused()
    {
        using var dir = new TempDirectory();
        string path = await WriteStoreAsync(dir.Path);
        Overwrite(path, 0, "NotSQLite form 3"u8.ToArray());
        AssertRefused(dir.Path, path, expected: "SQLite header");
    }

    [Fact]
    public async Task DamagedPageSizeInTheHeaderIsRefused()
    {
        using var dir = new TempDirectory();
        string path = await WriteStoreAsync(dir.Path);
        Overwrite(path, 16, [0x03, 0x00]);
        AssertRefused(dir.Path, path, expected: "header is damaged");
    }

    [Fact]
    public void EmptyFileIsRefusedAndNotReplacedByANewDatabase()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "grains.db");
        File.WriteAllBytes(path, []);
        AssertRefused(dir.Path, path, expected: "0 bytes");
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public void TextFileUnderTheStateFileNameIsRefused()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "grains.db");
        File.WriteAllText(path, string.Concat(Enumerable.Repeat("not a database at all\n", 300)));
        AssertRefused(dir.Path, path, expected: "SQLite header");
    }

    [Fact]
    public void AnotherApplicationsSqliteDatabaseIsRefused()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "grains.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE orders (id INTEGER PRIMARY KEY, total REAL); INSERT INTO orders (total) VALUES (9.5);";
            command.ExecuteNonQuery();
        }

        AssertRefused(dir.Path, path, expected: "another kind");
    }

    [Fact]
    public async Task UnknownSchemaVersionIsRefused()
    {
        using var dir = new TempDirectory();
        string path = await WriteStoreAsync(dir.Path, rows: 3);
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE meta SET value = 99 WHERE key = 'schema_version'; PRAGMA wal_checkpoint(TRUNCATE);";
            command.ExecuteNonQuery();
        }

        AssertRefused(dir.Path, path, expected: "schema version 99");
    }

    [Fact]
    public async Task MissingFileWithItsWriteAheadLogLeftIsRefused()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "grains.db");
        File.WriteAllBytes(path + "-wal", new byte[8192]);
        using var storage = Create(dir.Path);
        var ex = Assert.Throws<SqliteGrainStorageException>(storage.Open);
        Assert.Contains($"'{path}' is missing", ex.Message);
        Assert.False(File.Exists(path));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task IntactFileWithAPendingWriteAheadLogOpensAndKeepsItsWrites()
    {
        using var dir = new TempDirectory();
        using var copy = new TempDirectory();
        // A copy taken while the storage is open is what a crash leaves: the file plus a write-ahead log not yet checkpointed.
        await using (var storage = Open(dir.Path))
        {
            await Task.WhenAll(Enumerable.Range(0, 50).Select(i => storage.WriteStateAsync("checkpoint", Shopper($"u{i}"), NewState(Checkpoint(i)))));
            foreach (string suffix in new[] { "", "-wal", "-shm" })
            {
                File.Copy(storage.FilePath + suffix, Path.Combine(copy.Path, "grains.db" + suffix));
            }
        }

        Assert.True(new FileInfo(Path.Combine(copy.Path, "grains.db-wal")).Length > 0);
        await using var reopened = Open(copy.Path);
        var read = NewState();
        await reopened.ReadStateAsync("checkpoint", Shopper("u49"), read);
        Assert.Equal(49, read.State!.Events);
    }

    /// <summary>Writes <paramref name="rows"/> states of about 2.7 KB (one marked "needle-i" each) and closes; returns the file.</summary>
    private static async Task<string> WriteStoreAsync(string directory, int rows = Rows)
    {
        await using var storage = Open(directory);
        await Task.WhenAll(Enumerable.Range(0, rows).Select(i => storage.WriteStateAsync("checkpoint", Shopper($"u{i}"), NewState(Checkpoint(i, $"needle-{i}")))));
        return storage.FilePath;
    }

    private static void AssertRefused(string directory, string path, string? expected)
    {
        byte[] before = SHA256.HashData(File.ReadAllBytes(path));
        string[] filesBefore = Directory.GetFiles(directory).Select(Path.GetFileName).Where(f => f != "grains.db.lock").Order().ToArray()!;
        using var storage = Create(directory);
        var ex = Assert.Throws<SqliteGrainStorageException>(storage.Open);
        Assert.Contains($"'{path}'", ex.Message);
        Assert.Contains("Move it aside", ex.Message);
        if (expected is not null)
        {
            Assert.Contains(expected, ex.Message);
        }

        Assert.False(storage.IsOpen);
        Assert.Equal(before, SHA256.HashData(File.ReadAllBytes(path)));
        string[] filesAfter = Directory.GetFiles(directory).Select(Path.GetFileName).Where(f => f != "grains.db.lock").Order().ToArray()!;
        Assert.Equal(filesBefore, filesAfter);

        // The lock was released: a healthy storage could take the directory now.
        using var probe = new FileStream(Path.Combine(directory, "grains.db.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
    }

    private static void Overwrite(string path, long offset, byte[] bytes)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.Position = offset;
        stream.Write(bytes);
    }

    private static long IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
