using System.Diagnostics;
using MicroMoment.Silo.Storage;
using static MicroMoment.Silo.Tests.Storage.StorageHarness;

namespace MicroMoment.Silo.Tests.Storage;

public class SqliteGrainStorageLockTests
{
    [Fact]
    public async Task SecondStorageOnTheSameDirectoryFailsWhileTheFirstIsOpen()
    {
        using var dir = new TempDirectory();
        var first = Open(dir.Path);
        using var second = Create(dir.Path, name: "other");
        var ex = Assert.Throws<SqliteGrainStorageException>(second.Open);
        Assert.Contains($"'{Path.GetFullPath(dir.Path)}'", ex.Message);
        Assert.Contains($"pid {Environment.ProcessId}", ex.Message);
        Assert.False(second.IsOpen);

        // The first is unaffected, and once it closes the second can open.
        await first.WriteStateAsync("checkpoint", Shopper("a"), NewState(Checkpoint(1)));
        await first.CloseAsync();
        second.Open();
        Assert.True(second.IsOpen);
    }

    [Fact]
    public void LockFileIsHeldExclusivelyAgainstOtherOpenersAndOtherProcesses()
    {
        using var dir = new TempDirectory();
        string lockPath;
        using (var storage = Open(dir.Path))
        {
            lockPath = storage.LockFilePath;
            // In this process: a second exclusive open of the lock file is refused (.NET takes flock(LOCK_EX) for FileShare.None).
            Assert.Throws<IOException>(() => new FileStream(lockPath, FileMode.Open, FileAccess.ReadWrite, FileShare.None).Dispose());
            // Another process: flock(1) can take neither an exclusive nor a shared lock without waiting.
            Assert.Equal(1, RunFlock(lockPath, "--exclusive"));
            Assert.Equal(1, RunFlock(lockPath, "--shared"));
        }

        Assert.Equal(0, RunFlock(lockPath, "--exclusive"));
    }

    [Fact]
    public void DirectoryLockedByAnotherProcessIsRefusedBeforeTheDatabaseIsTouched()
    {
        using var dir = new TempDirectory();
        string lockPath = Path.Combine(dir.Path, "grains.db.lock");
        File.WriteAllText(lockPath, "");
        using var holder = Process.Start(new ProcessStartInfo("flock", ["--exclusive", "--close", lockPath, "-c", "echo locked; sleep 60"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        try
        {
            Assert.Equal("locked", holder.StandardOutput.ReadLine());
            using var storage = Create(dir.Path);
            var ex = Assert.Throws<SqliteGrainStorageException>(storage.Open);
            Assert.Contains($"'{Path.GetFullPath(dir.Path)}'", ex.Message);
            Assert.Contains("in use by", ex.Message);
            Assert.False(File.Exists(Path.Combine(dir.Path, "grains.db")));
        }
        finally
        {
            holder.Kill(entireProcessTree: true);
            holder.WaitForExit();
        }

        using var after = Open(dir.Path);
        Assert.True(after.IsOpen);
    }

    [Fact]
    public void LockFileNamesTheHoldingProcess()
    {
        using var dir = new TempDirectory();
        using var storage = Open(dir.Path);
        using var reader = Process.Start(new ProcessStartInfo("cat", [storage.LockFilePath]) { RedirectStandardOutput = true, UseShellExecute = false })!;
        string content = reader.StandardOutput.ReadToEnd();
        reader.WaitForExit();
        Assert.Equal($"{Environment.ProcessId}", content.Trim());
    }

    /// <summary>Exit code of <c>flock --nonblock</c> on <paramref name="path"/>: 0 when it got the lock, 1 when it is held.</summary>
    private static int RunFlock(string path, string mode)
    {
        using var process = Process.Start(new ProcessStartInfo("flock", [mode, "--nonblock", path, "true"]) { UseShellExecute = false })!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
