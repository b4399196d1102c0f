namespace MicroMoment.Onnx;

/// <summary>
/// ONNX Runtime, or the execution provider asked for, cannot run on this machine: the native library is not in the
/// application, the build carries no CUDA provider, the CUDA libraries are missing or there is no GPU. The message says which.
/// </summary>
public sealed class OnnxRuntimeUnavailableException : Exception
{
    /// <summary>Creates the exception for <paramref name="provider"/> with a message that says why.</summary>
    public OnnxRuntimeUnavailableException(OnnxExecutionProvider provider, string message, Exception? inner = null)
        : base(message, inner)
    {
        Provider = provider;
    }

    /// <summary>The provider that could not start.</summary>
    public OnnxExecutionProvider Provider { get; }
}
