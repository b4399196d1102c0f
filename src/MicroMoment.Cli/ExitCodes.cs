using MicroMoment.Artifacts;
using MicroMoment.Silo.Execution;
using MicroMoment.Silo;
using MicroMoment.Silo.Triggers;

namespace MicroMoment.Cli;

/// <summary>Process exit codes of the command line.</summary>
public static class ExitCodes
{
    /// <summary>The job finished.</summary>
    public const int Success = 0;

    /// <summary>The input had no usable rows, or a file could not be read.</summary>
    public const int BadInput = 2;

    /// <summary>A model file was missing, corrupt, truncated or incompatible.</summary>
    public const int BadModel = 3;

    /// <summary>The gateway could not be reached, refused the key, or failed.</summary>
    public const int GatewayError = 4;

    /// <summary><c>serve</c>: another process holds the data directory (its lock file).</summary>
    public const int DataDirectoryInUse = 5;

    /// <summary><c>serve</c>: the state file is damaged, empty where state was expected, not a state file, or of another schema version (it is left untouched).</summary>
    public const int StateFileUnusable = 6;

    /// <summary>serve: the model backend it was told to use cannot start on this machine (no GPU, CUDA or ONNX Runtime libraries missing).</summary>
    public const int BackendUnavailable = 7;

    /// <summary><c>silo</c>: the silo could not join its cluster (the membership store did not answer, or a port is taken).</summary>
    public const int ClusterUnavailable = 8;

    /// <summary>
    /// The exit code of a <c>serve</c>, <c>silo</c> or <c>gateway</c> start that failed with <paramref name="failure"/>, or
    /// null when the failure is not one of the known bad-setting kinds (the caller decides).
    /// </summary>
    internal static int? ForStartFailure(Exception failure) => failure switch
    {
        DataDirectoryInUseException => DataDirectoryInUse,
        StateFileException => StateFileUnusable,
        StepBackendUnavailableException => BackendUnavailable,
        ModelFormatException or FileNotFoundException => BadModel,
        ArgumentException or FormatException or InvalidOperationException or IOException or PolicyException => BadInput,
        _ => null,
    };
}
