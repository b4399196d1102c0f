using System.Text.RegularExpressions;
using Microsoft.ML.OnnxRuntime;

namespace MicroMoment.Onnx;

/// <summary>
/// What ONNX Runtime can do in this process: whether its native library loads, which execution providers it was built
/// with, and session options for a provider, failing with a message that says why a provider cannot start.
/// </summary>
public static partial class OnnxRuntimeEnvironment
{
    /// <summary>ONNX Runtime's name for its CUDA execution provider.</summary>
    public const string CudaProviderName = "CUDAExecutionProvider";

    /// <summary>Where Linux reports the loaded NVIDIA kernel driver.</summary>
    public const string NvidiaDriverFile = "/proc/driver/nvidia/version";

    private const string NativesHint =
        "The application must carry ONNX Runtime's native library: reference Microsoft.ML.OnnxRuntime.Gpu.Linux (Linux x64) "
        + "or Microsoft.ML.OnnxRuntime 1.32.0, as src/MicroMoment.Onnx/OnnxRuntimeNatives.props does for the projects that run ONNX.";

    /// <summary>
    /// The execution providers the loaded ONNX Runtime native library was built with (e.g. CPUExecutionProvider,
    /// CUDAExecutionProvider).
    /// </summary>
    /// <exception cref="OnnxRuntimeUnavailableException">The native library is not in this application or does not load.</exception>
    public static IReadOnlyList<string> AvailableProviders()
    {
        try
        {
            return OrtEnv.Instance().GetAvailableProviders();
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or TypeInitializationException)
        {
            throw new OnnxRuntimeUnavailableException(
                OnnxExecutionProvider.Cpu, $"ONNX Runtime's native library could not be loaded ({Clean((ex.InnerException ?? ex).Message)}). {NativesHint}", ex);
        }
    }

    /// <summary>The version of the loaded ONNX Runtime native library.</summary>
    /// <exception cref="OnnxRuntimeUnavailableException">The native library is not in this application or does not load.</exception>
    public static string Version()
    {
        AvailableProviders();
        return OrtEnv.Instance().GetVersionString();
    }

    /// <summary>The first line of the NVIDIA driver's version report, or null when no NVIDIA driver is loaded (or the OS does not say).</summary>
    public static string? NvidiaDriver()
    {
        try
        {
            return File.Exists(NvidiaDriverFile) ? File.ReadLines(NvidiaDriverFile).FirstOrDefault()?.Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Session options that run on <paramref name="provider"/> with <paramref name="threads"/> intra-op threads.
    /// For CUDA the provider is appended here, so a missing library fails now, with a message that says what is missing.
    /// </summary>
    /// <exception cref="OnnxRuntimeUnavailableException">The provider cannot start on this machine.</exception>
    public static SessionOptions CreateSessionOptions(OnnxExecutionProvider provider, int threads, int cudaDevice = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var providers = AvailableProviders();
        if (provider == OnnxExecutionProvider.Cuda) RequireCudaProvider(providers, OrtEnv.Instance().GetVersionString());

        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        if (provider == OnnxExecutionProvider.Cuda)
        {
            try
            {
                options.AppendExecutionProvider_CUDA(cudaDevice);
            }
            catch (OnnxRuntimeException ex)
            {
                options.Dispose();
                throw CudaUnavailable(ex);
            }
        }

        return options;
    }

    /// <summary>Refuses a native library built without the CUDA provider, saying how to get one that has it.</summary>
    internal static void RequireCudaProvider(IReadOnlyList<string> providers, string version)
    {
        if (providers.Contains(CudaProviderName)) return;
        throw new OnnxRuntimeUnavailableException(OnnxExecutionProvider.Cuda,
            $"This application carries ONNX Runtime {version} without the CUDA execution provider (it has {string.Join(", ", providers)}). "
            + "Build it with -p:OnnxRuntimeNatives=gpu (Linux x64) to carry Microsoft.ML.OnnxRuntime.Gpu.Linux instead.");
    }

    /// <summary>
    /// The shared libraries ONNX Runtime 1.32's CUDA provider loads (its ELF dependencies, plus cuDNN, which it opens
    /// at start): the NVIDIA driver's libcuda and the CUDA 13 runtime libraries.
    /// </summary>
    public static IReadOnlyList<string> CudaLibraries { get; } =
        ["libcuda.so.1", "libcudart.so.13", "libcublas.so.13", "libcublasLt.so.13", "libcurand.so.10", "libcudnn.so.9"];

    /// <summary>Those of <see cref="CudaLibraries"/> that this process cannot load (Linux; empty elsewhere).</summary>
    public static IReadOnlyList<string> MissingCudaLibraries()
    {
        if (!OperatingSystem.IsLinux()) return [];
        var missing = new List<string>();
        foreach (var library in CudaLibraries)
        {
            if (System.Runtime.InteropServices.NativeLibrary.TryLoad(library, out var handle)) System.Runtime.InteropServices.NativeLibrary.Free(handle);
            else missing.Add(library);
        }

        return missing;
    }

    /// <summary>Wraps ONNX Runtime's error about the CUDA provider in a message that says what is missing.</summary>
    internal static OnnxRuntimeUnavailableException CudaUnavailable(Exception error)
    {
        string reason = Clean(error.Message).TrimEnd('.');
        var hints = new List<string>();
        if (OperatingSystem.IsLinux() && NvidiaDriver() is null)
            hints.Add($"No NVIDIA GPU driver is loaded on this machine ({NvidiaDriverFile} is missing): there is no GPU to run on.");
        var missing = MissingCudaLibraries();
        if (missing.Count > 0)
        {
            hints.Add($"Not found on the library path: {string.Join(", ", missing)} (ONNX Runtime 1.32's CUDA provider needs the NVIDIA driver, "
                + "the CUDA 13 runtime with cuBLAS and cuRAND, and cuDNN 9; add their folders to LD_LIBRARY_PATH).");
        }

        if (hints.Count == 0)
            hints.Add("The CUDA libraries load, so check that an NVIDIA GPU is visible to this process (CUDA_VISIBLE_DEVICES) and that its driver supports CUDA 13.");
        return new OnnxRuntimeUnavailableException(OnnxExecutionProvider.Cuda, $"ONNX Runtime's CUDA execution provider could not start ({reason}). {string.Join(' ', hints)}", error);
    }

    /// <summary>ONNX Runtime's message without terminal colour codes, on one line and at most 400 characters.</summary>
    internal static string Clean(string message)
    {
        string text = AnsiEscape().Replace(message, string.Empty);
        text = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return text.Length <= 400 ? text : string.Concat(text.AsSpan(0, 397), "...");
    }

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex AnsiEscape();
}
