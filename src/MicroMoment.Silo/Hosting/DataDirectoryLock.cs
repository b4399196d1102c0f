using System.Globalization;

namespace MicroMoment.Silo;

/// <summary>
/// Exclusive use of a data directory by one process: an OS lock on <see cref="LockFileName"/> in the directory, held
/// until disposed (the OS releases it when the process ends, also on kill -9). Take it before opening anything in the
/// directory, so a second process fails before it touches what the first one owns. The holder's process id, host and
/// start time are written to <see cref="OwnerFileName"/> for the message another process shows.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    /// <summary>The file the OS lock is taken on (kept in the directory; its content is not used).</summary>
    public const string LockFileName = "micromoment.lock";

    /// <summary>The file naming the holder: "pid host started-at", one line.</summary>
    public const string OwnerFileName = "micromoment.pid";

    private readonly FileStream _lock;
    private readonly string _ownerPath;
    private readonly string _owner;
    private bool _disposed;

    private DataDirectoryLock(string directory, FileStream lockStream, string ownerPath, string owner)
    {
        Directory = directory;
        _lock = lockStream;
        _ownerPath = ownerPath;
        _owner = owner;
    }

    /// <summary>The locked directory (full path).</summary>
    public string Directory { get; }

    /// <summary>
    /// Creates <paramref name="directory"/> if needed and locks it for this process.
    /// </summary>
    /// <exception cref="DataDirectoryInUseException">Another process (or another lock in this one) holds the directory.</exception>
    /// <exception cref="IOException">The directory or the lock file cannot be created.</exception>
    public static DataDirectoryLock Acquire(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string full = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(full);
        string lockPath = Path.Combine(full, LockFileName);
        string ownerPath = Path.Combine(full, OwnerFileName);
        FileStream stream;
        try
        {
            // FileShare.None is an exclusive, non-blocking OS lock (flock on Unix, a share mode on Windows).
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException && File.Exists(lockPath))
        {
            throw new DataDirectoryInUseException(full, ReadOwner(ownerPath), ex);
        }

        string owner = string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessId} {Environment.MachineName} {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}");
        try
        {
            string temporary = ownerPath + ".tmp";
            File.WriteAllText(temporary, owner + "\n");
            File.Move(temporary, ownerPath, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The owner file only improves another process's message; the lock itself is held.
        }

        return new DataDirectoryLock(full, stream, ownerPath, owner);
    }

    /// <summary>Removes the owner file and releases the lock.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            if (File.Exists(_ownerPath) && File.ReadAllText(_ownerPath).Trim() == _owner) File.Delete(_ownerPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        _lock.Dispose();
    }

    private static DataDirectoryOwner? ReadOwner(string ownerPath)
    {
        try
        {
            if (!File.Exists(ownerPath)) return null;
            string[] parts = File.ReadAllText(ownerPath).Trim().Split(' ', 3);
            if (parts.Length < 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) return null;
            DateTime? since = parts.Length == 3 && DateTime.TryParse(parts[2], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at) ? at : null;
            return new DataDirectoryOwner(pid, parts[1], since);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
