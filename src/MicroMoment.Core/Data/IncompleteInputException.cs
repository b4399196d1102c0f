namespace MicroMoment.Data;

/// <summary>
/// Thrown by <see cref="IngestReport.ThrowIfIncomplete"/> when a log's data did not end cleanly (a truncated or corrupt
/// gzip file): the rows before the damage were read, the rest are lost. The message names each file, what was wrong and
/// how many rows were read from it.
/// </summary>
public sealed class IncompleteInputException : Exception
{
    /// <summary>Creates the exception with an explanatory message.</summary>
    public IncompleteInputException(string message)
        : base(message)
    {
    }
}
