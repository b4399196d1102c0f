namespace MicroMoment.Silo;

/// <summary>
/// The silo's state file cannot be used: it is damaged (fails SQLite's integrity check, truncated, a bad header, empty
/// where state was expected) or is not a state file of this build. The file is left as it was; the message names it and
/// the way out.
/// </summary>
public sealed class StateFileException : IOException
{
    /// <summary>Creates the exception for the file at <paramref name="path"/>.</summary>
    public StateFileException(string path, string message, Exception? inner = null) : base(message, inner) => Path = path;

    /// <summary>The state file.</summary>
    public string Path { get; }
}
