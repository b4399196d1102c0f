namespace MicroMoment.Silo.Storage;

/// <summary>
/// The SQLite grain storage could not open its file or directory, or could not commit or read grain state; the
/// message names the file and what to do.
/// </summary>
public sealed class SqliteGrainStorageException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public SqliteGrainStorageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and the failure that caused it.</summary>
    public SqliteGrainStorageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>True when another process (or storage) holds the directory's lock: nothing was touched.</summary>
    public bool DirectoryInUse { get; init; }
}
