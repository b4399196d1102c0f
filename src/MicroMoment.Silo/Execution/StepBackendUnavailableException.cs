namespace MicroMoment.Silo.Execution;

/// <summary>The silo was told to use a model backend that cannot start on this machine; the message says which and why.</summary>
public sealed class StepBackendUnavailableException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="backend"/>.</summary>
    public StepBackendUnavailableException(string backend, string message, Exception? inner = null)
        : base(message, inner)
    {
        Backend = backend;
    }

    /// <summary>The backend that was asked for.</summary>
    public string Backend { get; }
}
