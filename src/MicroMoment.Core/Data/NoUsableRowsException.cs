namespace MicroMoment.Data;

/// <summary>Thrown by <see cref="IngestReport.ThrowIfNoUsableRows"/> when no input row could be used; the message says why.</summary>
public sealed class NoUsableRowsException : Exception
{
    /// <summary>Creates the exception with an explanatory message.</summary>
    public NoUsableRowsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with an explanatory message and a cause.</summary>
    public NoUsableRowsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
