using MicroMoment.Silo.Storage;
using Microsoft.Data.Sqlite;
using Orleans.Storage;
using static MicroMoment.Silo.Tests.Storage.StorageHarness;

namespace MicroMoment.Silo.Tests.Storage;

public class SqliteGrainStorageTests
{
    [Fact]
    public async Task ThousandsOfConcurrentWritersAllCompleteAndEveryRowIsStored()
    {
        using var dir = new TempDirectory();
        const int writers = 5_000;
        var states = Enumerable.Range(0, writers).Select(i => NewState(Checkpoint(i, payloadBytes: 300))).ToArray();
        await using (var storage = Open(dir.Path, o => o.MaxBatch = 256))
        {
            await Task.WhenAll(Enumerable.Range(0, writers).Select(i => Task.Run(() => storage.WriteStateAsync("checkpoint", Shopper($"u{i}"), states[i]))));
            Assert.All(states, s => Assert.True(s.RecordExists));
            Assert.Equal(writers, states.Select(s => s.ETag).Distinct().Count());
        }

        await using (var reopened = Open(dir.Path))
        {
            for (int i = 0; i < writers; i++)
            {
                var read = NewState();
                await reopened.ReadStateAsync("checkpoint", Shopper($"u{i}"), read);
                Assert.True(read.RecordExists);
                Assert.Equal(states[i].ETag, read.ETag);
                Assert.Equal(i, read.State!.Events);
                Assert.Equal(states[i].State!.Payload, read.State!.Payload);
            }
        }

        Assert.Equal(writers, CountRows(Path.Combine(dir.Path, "grains.db")));
    }

    [Fact]
    public async Task WritesQueuedWhileACommitRunsAreCommittedTogetherInOneTransaction()
    {
        using var dir = new TempDirectory();
        await using var storage = Open(dir.Path, o => o.MaxBatch = 4_096);
        // Another connection holds the write lock, so the writer's first transaction waits while 2,000 writes queue.
        using var blocker = new SqliteConnection($"Data Source={storage.FilePath};Pooling=False");
        blocker.Open();
        using (var begin = blocker.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            begin.ExecuteNonQuery();
        }

        var states = Enumerable.Range(0, 2_000).Select(i => NewState(Checkpoint(i, payloadBytes: 100))).ToArray();
        var writes = states.Select((s, i) => storage.WriteStateAsync("checkpoint", Shopper($"u{i}"), s)).ToArray();
        await Task.Delay(100);
        Assert.All(writes, w => Assert.False(w.IsCompleted));
        using (var rollback = blocker.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }

        await Task.WhenAll(writes);
        // The first transaction holds what was queued when the writer woke; the second holds all the rest.
        Assert.InRange(storage.CommittedBatches, 1, 2);
        Assert.Equal(2_000, storage.CommittedWrites);
    }

    [Fact]
    public async Task SqliteErrorFailsEveryChangeOfItsBatchAndLaterBatchesGoOn()
    {
        using var dir = new TempDirectory();
        await using var storage = Open(dir.Path, o => o.MaxBatch = 4_096);
        var before = NewState(Checkpoint(1));
        await storage.WriteStateAsync("checkpoint", Shopper("before"), before);
        using var other = new SqliteConnection($"Data Source={storage.FilePath};Pooling=False");
        other.Open();
        Execute(other, "CREATE TRIGGER poison BEFORE INSERT ON grain_state WHEN NEW.grain_key = 'poison' BEGIN SELECT RAISE(ABORT, 'poisoned row'); END;");
        // Hold the write lock, and let the writer take a first write and wait on the lock with it: the good writes and the
        // poisoned one then queue behind it and land in one batch together, however the threads are scheduled.
        Execute(other, "BEGIN IMMEDIATE;");
        var blocker = storage.WriteStateAsync("checkpoint", Shopper("blocker"), NewState(Checkpoint(9)));
        await Task.Delay(300);
        var conflicting = storage.WriteStateAsync("checkpoint", Shopper("before"), NewState(Checkpoint(3), etag: "424242"));
        var good = Enumerable.Range(0, 20).Select(i => NewState(Checkpoint(i))).ToArray();
        var goodWrites = good.Select((s, i) => storage.WriteStateAsync("checkpoint", Shopper($"good{i}"), s)).ToArray();
        var poisoned = storage.WriteStateAsync("checkpoint", Shopper("poison"), NewState(Checkpoint(2)));
        await Task.Delay(100);
        Execute(other, "ROLLBACK;");

        foreach (var write in goodWrites.Append(poisoned))
        {
            var ex = await Assert.ThrowsAsync<SqliteGrainStorageException>(() => write);
            Assert.Contains("none of them was written", ex.Message);
            Assert.Contains("poisoned row", ex.Message);
            Assert.Contains(storage.FilePath, ex.Message);
        }

        // The blocker went alone unless the writer had not taken it within the pause (then it failed with the batch).
        bool blockerWritten = await blocker.ContinueWith(t => t.IsCompletedSuccessfully);
        // The conflict, found before the failure, is reported as such, not as the batch's failure.
        await Assert.ThrowsAsync<InconsistentStateException>(() => conflicting);
        Assert.All(good, s => Assert.Null(s.ETag));
        Assert.Equal(blockerWritten ? 2 : 1, CountRows(storage.FilePath));

        // The storage goes on: the same writes succeed in a later batch, and versions continue from the last commit.
        await Task.WhenAll(good.Select((s, i) => storage.WriteStateAsync("checkpoint", Shopper($"good{i}"), s)));
        await storage.WriteStateAsync("checkpoint", Shopper("before"), before);
        Assert.Equal(blockerWritten ? 22 : 21, CountRows(storage.FilePath));
        Assert.Equal(blockerWritten ? 23 : 22, long.Parse(before.ETag!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ReadAfterACompletedWriteSeesIt()
    {
        using var dir = new TempDirectory();
        await using var storage = Open(dir.Path, o => o.ReadConnections = 2);
        var state = NewState(Checkpoint(1));
        for (int round = 0; round < 200; round++)
        {
            state.State!.Events = round;
            await storage.WriteStateAsync("checkpoint", Shopper("reader"), state);
            var read = NewState();
            await storage.ReadStateAsync("checkpoint", Shopper("reader"), read);
            Assert.Equal(round, read.State!.Events);
            Assert.Equal(state.ETag, read.ETag);
        }
    }

    [Fact]
    public async Task StaleETagThrowsInconsistentStateAndWritesNothing()
    {
        using var dir = new TempDirectory();
        await using var storage = Open(dir.Path);
        var first = NewState(Checkpoint(1, "first"));
        await storage.WriteStateAsync("checkpoint", Shopper("a"), first);
        string staleEtag = first.ETag!;
        first.State!.Marker = "second";
        await storage.WriteStateAsync("checkpoint", Shopper("a"), first);

        var stale = NewState(Checkpoint(2, "stale"), staleEtag);
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("checkpoint", Shopper("a"), stale));
        Assert.Equal(first.ETag, conflict.StoredEtag);
        Assert.Equal(staleEtag, conflict.CurrentEtag);
        Assert.Contains(staleEtag, conflict.Message);
        Assert.Equal(staleEtag, stale.ETag);

        // No ETag while a row exists is a conflict too (a second activation that saw no state).
        var fresh = NewState(Checkpoint(3, "fresh"));
        var second = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("checkpoint", Shopper("a"), fresh));
        Assert.Equal(first.ETag, second.StoredEtag);
        Assert.Null(second.CurrentEtag);

        var read = NewState();
        await storage.ReadStateAsync("checkpoint", Shopper("a"), read);
        Assert.Equal("second", read.State!.Marker);
        Assert.Equal(first.ETag, read.ETag);
    }

    [Fact]
    public async Task ConflictFailsOnlyItsOwnWriteInABatch()
    {
        using var dir = new TempDirectory();
        await using var storage = Open(dir.Path);
        var existing = NewState(Checkpoint(1));
        await storage.WriteStateAsync("checkpoint", Shopper("taken"), existing);

        var writes = Enumerable.Range(0, 500).Select(i => NewState(Checkpoint(i))).ToArray();
        var tasks = writes.Select((s, i) => storage.WriteStateAsync("checkpoint", Shopper($"free{i}"), s)).ToList();
        var conflicting = storage.WriteStateAsync("checkpoint", Shopper("taken"), NewState(Checkpoint(9), etag: "999999"));
        await Assert.ThrowsAsync<InconsistentStateException>(() => conflicting);
        await Task.WhenAll(tasks);
        Assert.All(writes, w => Assert.True(w.RecordExists));
    }

    [Fact]
    public async Task ETagsAreNeverReusedAfterAClear()
    {
        using var dir = new TempDirectory();
        await using var storage = Open(dir.Path);
        var state = NewState(Checkpoint(1));
        await storage.WriteStateAsync("checkpoint", Shopper("a"), state);
        string oldEtag = state.ETag!;
        await storage.ClearStateAsync("checkpoint", Shopper("a"), state);
        var other = NewState(Checkpoint(2));
        await storage.WriteStateAsync("checkpoint", Shopper("a"), other);
        Assert.NotEqual(oldEtag, other.ETag);

        // A holder of the ETag from before the clear must not overwrite the new row.
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("checkpoint", Shopper("a"), NewState(Checkpoint(3), oldEtag)));
    }

    [Fact]
    public async Task ClearThenReadFindsNoRecord()
    {
        using var dir = new TempDirectory();
        await using var storage = Open(dir.Path);
        var state = NewState(Checkpoint(1, "gone"));
        await storage.WriteStateAsync("checkpoint", Shopper("a"), state);
        await storage.WriteStateAsync("other", Shopper("a"), NewState(Checkpoint(2, "kept")));
        await storage.ClearStateAsync("checkpoint", Shopper("a"), state);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal("", state.State!.Marker);

        var read = NewState(Checkpoint(5, "stale copy"), "123");
        await storage.ReadStateAsync("checkpoint", Shopper("a"), read);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal("", read.State!.Marker);

        // The grain's other state is separate and stays.
        var other = NewState();
        await storage.ReadStateAsync("other", Shopper("a"), other);
        Assert.Equal("kept", other.State!.Marker);

        // Clearing with no ETag when nothing is stored succeeds; with a stale ETag it is a conflict.
        await storage.ClearStateAsync("checkpoint", Shopper("a"), NewState());
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("checkpoint", Shopper("a"), NewState(etag: "1")));
    }

    [Fact]
    public async Task ReadOfAnUnknownGrainGivesAnEmptyStateWithoutRecord()
    {
        using var dir = new TempDirectory();
        await using var storage = Open(dir.Path);
        var read = NewState(Checkpoint(1, "left over"), "7");
        await storage.ReadStateAsync("checkpoint", Shopper("nobody"), read);
        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.NotNull(read.State);
        Assert.Equal("", read.State!.Marker);
    }

    [Fact]
    public async Task ForeignETagIsAConflictNamingBothETags()
    {
        using var dir = new TempDirectory();
        await using var storage = Open(dir.Path);
        var state = NewState(Checkpoint(1));
        await storage.WriteStateAsync("checkpoint", Shopper("a"), state);
        var foreign = NewState(Checkpoint(2), "W/\"0x8D9\"");
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("checkpoint", Shopper("a"), foreign));
        Assert.Equal(state.ETag, conflict.StoredEtag);
        Assert.Equal("W/\"0x8D9\"", conflict.CurrentEtag);
    }

    [Fact]
    public async Task StateWrittenInAnotherFormatIsRefusedOnRead()
    {
        using var dir = new TempDirectory();
        await using (var storage = Open(dir.Path))
        {
            await storage.WriteStateAsync("checkpoint", Shopper("a"), NewState(Checkpoint(1)));
        }

        await using var other = Open(dir.Path, o => o.StateFormat = 100);
        var ex = await Assert.ThrowsAsync<SqliteGrainStorageException>(() => other.ReadStateAsync("checkpoint", Shopper("a"), NewState()));
        Assert.Contains("format 2", ex.Message);
        Assert.Contains("format 100", ex.Message);
    }

    [Fact]
    public async Task StateChangedOnDiskAfterOpenIsRefusedOnRead()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "grains.db");
        await using var storage = Open(dir.Path);
        await storage.WriteStateAsync("checkpoint", Shopper("a"), NewState(Checkpoint(1)));
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE grain_state SET state = zeroblob(length(state));";
            command.ExecuteNonQuery();
        }

        var ex = await Assert.ThrowsAsync<SqliteGrainStorageException>(() => storage.ReadStateAsync("checkpoint", Shopper("a"), NewState()));
        Assert.Contains("checksum", ex.Message);
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public async Task WritesAfterCloseAreRefusedAndQueuedOnesAreCommittedByClose()
    {
        using var dir = new TempDirectory();
        var storage = Open(dir.Path, o => o.Synchronous = SqliteSynchronousMode.Normal);
        var states = Enumerable.Range(0, 300).Select(i => NewState(Checkpoint(i, payloadBytes: 100))).ToArray();
        var writes = states.Select((s, i) => storage.WriteStateAsync("checkpoint", Shopper($"u{i}"), s)).ToArray();
        await storage.CloseAsync();
        await Task.WhenAll(writes);
        var late = await Assert.ThrowsAsync<SqliteGrainStorageException>(() => storage.WriteStateAsync("checkpoint", Shopper("late"), NewState()));
        Assert.Contains("closed", late.Message);
        Assert.Equal(300, CountRows(storage.FilePath));
    }

    [Fact]
    public async Task CloseCheckpointsTheWriteAheadLogIntoTheFile()
    {
        using var dir = new TempDirectory();
        var storage = Open(dir.Path);
        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => storage.WriteStateAsync("checkpoint", Shopper($"u{i}"), NewState(Checkpoint(i)))));
        Assert.True(new FileInfo(storage.FilePath + "-wal").Length > 0);
        storage.Dispose();
        var wal = new FileInfo(storage.FilePath + "-wal");
        Assert.True(!wal.Exists || wal.Length == 0, wal.Exists ? $"the WAL still holds {wal.Length} bytes after close" : "");
    }

    [Theory]
    [InlineData("DataDirectory")]
    [InlineData("FileName")]
    [InlineData("MaxBatch")]
    [InlineData("ReadConnections")]
    [InlineData("Synchronous")]
    [InlineData("InitStage")]
    [InlineData("StateFormat")]
    [InlineData("GrainStorageSerializer")]
    public void InvalidOptionIsRefusedWithItsName(string setting)
    {
        using var dir = new TempDirectory();
        Action<SqliteGrainStorageOptions> breakIt = setting switch
        {
            "DataDirectory" => o => o.DataDirectory = " ",
            "FileName" => o => o.FileName = "../grains.db",
            "MaxBatch" => o => o.MaxBatch = 0,
            "ReadConnections" => o => o.ReadConnections = 1_000,
            "Synchronous" => o => o.Synchronous = (SqliteSynchronousMode)7,
            "InitStage" => o => o.InitStage = ServiceLifecycleStage.Active,
            "StateFormat" => o => o.StateFormat = -1,
            _ => o => o.GrainStorageSerializer = null!,
        };
        var ex = Assert.Throws<OrleansConfigurationException>(() => Create(dir.Path, breakIt));
        Assert.Contains($"SqliteGrainStorageOptions.{setting}", ex.Message);
        Assert.Contains("'store'", ex.Message);
    }

    [Fact]
    public void CustomSerializerNeedsAStateFormat()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<OrleansConfigurationException>(() => Create(dir.Path, o => o.GrainStorageSerializer = new ReversingSerializer(Serializer)));
        Assert.Contains("StateFormat", ex.Message);
        var reserved = Assert.Throws<OrleansConfigurationException>(() => Create(dir.Path, o =>
        {
            o.GrainStorageSerializer = new ReversingSerializer(Serializer);
            o.StateFormat = SqliteStateFormat.OrleansBinary;
        }));
        Assert.Contains("StateFormat is 2", reserved.Message);
        using var storage = Create(dir.Path, o =>
        {
            o.GrainStorageSerializer = new ReversingSerializer(Serializer);
            o.StateFormat = 101;
        });
        Assert.Equal(101, storage.StateFormat);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    internal static long CountRows(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM grain_state;";
        return (long)command.ExecuteScalar()!;
    }

    private sealed class ReversingSerializer(IGrainStorageSerializer inner) : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => new(inner.Serialize(input).ToArray().Reverse().ToArray());

        public T? Deserialize<T>(BinaryData input) => inner.Deserialize<T>(new BinaryData(input.ToArray().Reverse().ToArray()));
    }
}
