namespace MicroMoment.Onnx;

/// <summary>An exported step graph or its sidecar is missing, damaged, or does not fit the model it is used with; the message names the problem.</summary>
public sealed class OnnxGraphException : Exception
{
    /// <summary>Creates the exception with a message that names the problem.</summary>
    public OnnxGraphException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public OnnxGraphException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
