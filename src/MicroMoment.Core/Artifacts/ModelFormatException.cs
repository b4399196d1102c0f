namespace MicroMoment.Artifacts;

/// <summary>A model file could not be loaded: it is corrupt, truncated or written by an incompatible version.</summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception with a message that names the problem.</summary>
    public ModelFormatException(string message, Exception? inner = null) : base(message, inner) { }
}
