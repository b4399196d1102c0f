using System.Runtime.InteropServices;

namespace MicroMoment.Silo.Storage;

/// <summary>
/// The few C library file calls .NET does not offer: reading a file another process holds an exclusive lock on
/// (.NET asks for a shared flock on every open) and syncing a directory after a rename. Unix only.
/// </summary>
internal static partial class UnixFile
{
    /// <summary>Whether these calls are available here.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();

    /// <summary>Up to <paramref name="buffer"/>.Length bytes from the start of <paramref name="path"/>, without taking any lock; -1 on failure.</summary>
    public static unsafe int TryReadStart(string path, Span<byte> buffer)
    {
        if (!IsSupported)
        {
            return -1;
        }

        int fd = Open(path, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            return -1;
        }

        try
        {
            fixed (byte* p = buffer)
            {
                return (int)Read(fd, p, buffer.Length);
            }
        }
        finally
        {
            Close(fd);
        }
    }

    /// <summary>Flushes <paramref name="directory"/>'s entries to disk, so a rename in it survives a power loss; false if that failed.</summary>
    public static bool TrySyncDirectory(string directory)
    {
        if (!IsSupported)
        {
            return false;
        }

        int fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            return Fsync(fd) == 0;
        }
        finally
        {
            Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
