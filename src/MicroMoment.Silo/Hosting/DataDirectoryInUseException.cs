using System.Globalization;

namespace MicroMoment.Silo;

/// <summary>Another process holds the data directory (see <see cref="DataDirectoryLock"/>).</summary>
public sealed class DataDirectoryInUseException : IOException
{
    /// <summary>Creates the exception for <paramref name="directory"/>, naming its holder when known.</summary>
    public DataDirectoryInUseException(string directory, DataDirectoryOwner? owner, Exception? inner = null)
        : base(Describe(directory, owner), inner)
    {
        Directory = directory;
        Owner = owner;
    }

    /// <summary>The directory.</summary>
    public string Directory { get; }

    /// <summary>The holder as it recorded itself, or null when unknown.</summary>
    public DataDirectoryOwner? Owner { get; }

    private static string Describe(string directory, DataDirectoryOwner? owner)
    {
        string holder = owner is null
            ? "another process"
            : string.Create(CultureInfo.InvariantCulture,
                $"process {owner.ProcessId} on host {owner.Host}{(owner.Since is { } since ? $" (since {since:yyyy-MM-dd HH:mm:ss} UTC)" : "")}");
        return $"The data directory {directory} is in use by {holder}: it holds the lock on {Path.Combine(directory, DataDirectoryLock.LockFileName)}. "
            + "Two processes on one directory would overwrite each other's state, so this one stops before touching it. "
            + "Stop the other process, or give this one another directory (--data-dir).";
    }
}
