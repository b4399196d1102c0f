using System.Globalization;
using System.Text;

namespace MicroMoment.Silo.Storage;

/// <summary>
/// An exclusive lock on a grain storage directory, held for as long as the storage is open: the lock file is opened
/// with <see cref="FileShare.None"/>, which .NET turns into an exclusive <c>flock</c> on Linux and macOS and a
/// deny-all share mode on Windows, so a second process (or a second storage in this one) fails to take it. The
/// operating system drops the lock when the process dies, so a crash leaves nothing to clean up. The holder's
/// process id is written into the file for the message a refused opener prints.
/// </summary>
internal sealed class StorageFileLock : IDisposable
{
    private readonly FileStream _stream;

    private StorageFileLock(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>Takes the lock on <paramref name="lockPath"/> (created if missing) or throws naming the directory.</summary>
    /// <exception cref="SqliteGrainStorageException">Another process or storage holds the lock.</exception>
    public static StorageFileLock Acquire(string directory, string lockPath)
    {
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        }
        catch (IOException ex) when (IsSharingViolation(ex))
        {
            int? holder = TryReadHolder(lockPath);
            string who = holder is null ? "another process"
                : holder == Environment.ProcessId ? $"another grain storage in this process (pid {holder})"
                : $"process {holder}";
            throw new SqliteGrainStorageException(
                $"The grain storage directory '{directory}' is in use by {who}: its lock file '{lockPath}' is locked. " +
                "Stop the other silo (or storage) first, or give this one a different DataDirectory.", ex)
            {
                DirectoryInUse = true,
            };
        }

        try
        {
            byte[] content = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}\n"));
            stream.SetLength(0);
            stream.Write(content);
            stream.Flush();
        }
        catch
        {
            stream.Dispose();
            throw;
        }

        return new StorageFileLock(lockPath, stream);
    }

    /// <summary>Whether opening failed because the file is locked (not for a missing folder or a disk error).</summary>
    private static bool IsSharingViolation(IOException ex) =>
        OperatingSystem.IsWindows() ? (ex.HResult & 0xFFFF) is 32 or 33 // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
        : OperatingSystem.IsLinux() ? ex.HResult == 11 // EWOULDBLOCK from flock(LOCK_EX | LOCK_NB)
        : ex.HResult == 35; // EWOULDBLOCK on macOS and the BSDs

    /// <summary>Releases the lock (the file stays: deleting it could let two processes lock different files).</summary>
    public void Dispose() => _stream.Dispose();

    /// <summary>
    /// The process id written in a lock file another process holds, or null. .NET cannot open a file locked
    /// exclusively by someone else (a shared open asks for a shared flock), so the bytes are read with the C
    /// library's open and read, which take no lock.
    /// </summary>
    private static int? TryReadHolder(string lockPath)
    {
        Span<byte> buffer = stackalloc byte[32];
        int read;
        try
        {
            read = UnixFile.TryReadStart(lockPath, buffer);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        if (read <= 0)
        {
            return null;
        }

        var text = Encoding.ASCII.GetString(buffer[..read]).Trim();
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0 ? pid : null;
    }
}
