using System.Text;
using MicroMoment.Silo.Storage;
using static MicroMoment.Silo.Tests.Storage.StorageHarness;

namespace MicroMoment.Silo.Tests.Storage;

public class SqliteGrainStorageErasureTests
{
    [Fact]
    public async Task ClearedStateLeavesNoCopyInAnyFileAfterClose()
    {
        using var dir = new TempDirectory();
        string marker = "erase-me-" + Guid.NewGuid().ToString("N");
        await using (var storage = Open(dir.Path, o => o.CheckpointAfterClear = false))
        {
            await WriteNeighboursAsync(storage);
            var state = NewState(Checkpoint(1, marker));
            // Several versions, so older copies sit in the log and in freed page space too.
            for (int i = 0; i < 5; i++)
            {
                state.State!.Events = i;
                await storage.WriteStateAsync("checkpoint", Shopper("erased"), state);
            }

            await storage.ClearStateAsync("checkpoint", Shopper("erased"), state);
        }

        Assert.Equal(0, CountInFiles(dir.Path, marker));
    }

    [Fact]
    public async Task WithoutAClearTheMarkerIsFoundSoTheScanWorks()
    {
        using var dir = new TempDirectory();
        string marker = "erase-me-" + Guid.NewGuid().ToString("N");
        await using (var storage = Open(dir.Path))
        {
            await WriteNeighboursAsync(storage);
            await storage.WriteStateAsync("checkpoint", Shopper("kept"), NewState(Checkpoint(1, marker)));
        }

        Assert.True(CountInFiles(dir.Path, marker) >= 1);
    }

    [Fact]
    public async Task ClearedStateLeavesTheLogAtOnceWhileTheStorageStaysOpen()
    {
        using var dir = new TempDirectory();
        string marker = "erase-me-" + Guid.NewGuid().ToString("N");
        await using var storage = Open(dir.Path);
        await WriteNeighboursAsync(storage);
        var state = NewState(Checkpoint(1, marker));
        await storage.WriteStateAsync("checkpoint", Shopper("erased"), state);
        Assert.True(CountInFiles(dir.Path, marker) >= 1);
        await storage.ClearStateAsync("checkpoint", Shopper("erased"), state);
        Assert.Equal(0, CountInFiles(dir.Path, marker));

        // Other shoppers are untouched.
        var neighbour = NewState();
        await storage.ReadStateAsync("checkpoint", Shopper("n7"), neighbour);
        Assert.Equal(7, neighbour.State!.Events);
    }

    [Fact]
    public async Task WithoutCheckpointAfterClearTheErasedBytesStayInTheLogUntilClose()
    {
        using var dir = new TempDirectory();
        string marker = "erase-me-" + Guid.NewGuid().ToString("N");
        await using (var storage = Open(dir.Path, o => o.CheckpointAfterClear = false))
        {
            var state = NewState(Checkpoint(1, marker));
            await storage.WriteStateAsync("checkpoint", Shopper("erased"), state);
            await storage.ClearStateAsync("checkpoint", Shopper("erased"), state);
            // This is what the option is for: the log still holds the frame written before the clear.
            Assert.True(CountInFiles(dir.Path, marker) >= 1);
        }

        Assert.Equal(0, CountInFiles(dir.Path, marker));
    }

    private static Task WriteNeighboursAsync(SqliteGrainStorage storage) =>
        Task.WhenAll(Enumerable.Range(0, 40).Select(i => storage.WriteStateAsync("checkpoint", Shopper($"n{i}"), NewState(Checkpoint(i, $"neighbour-{i}")))));

    /// <summary>Occurrences of <paramref name="marker"/> (UTF-8 and UTF-16) in every file of <paramref name="directory"/>.</summary>
    private static int CountInFiles(string directory, string marker)
    {
        byte[][] needles = [Encoding.UTF8.GetBytes(marker), Encoding.Unicode.GetBytes(marker)];
        int hits = 0;
        foreach (string file in Directory.GetFiles(directory))
        {
            byte[] bytes;
            try
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
            }
            catch (IOException) when (file.EndsWith(".lock", StringComparison.Ordinal))
            {
                // The lock file of an open storage cannot be opened here (it is locked); it holds only a process id.
                continue;
            }

            foreach (byte[] needle in needles)
            {
                for (int at = bytes.AsSpan().IndexOf(needle); at >= 0;)
                {
                    hits++;
                    int next = bytes.AsSpan(at + 1).IndexOf(needle);
                    at = next < 0 ? -1 : at + 1 + next;
                }
            }
        }

        return hits;
    }
}
