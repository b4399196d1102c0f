using MicroMoment.Onnx;
using MicroMoment.Scoring;

namespace MicroMoment.Silo.Execution;

/// <summary>
/// Creates the silo's model backend from its name (<see cref="ModelExecutorOptions.Backend"/>): <c>simd</c> (the
/// project's CPU kernel, default), <c>onnx-cpu</c>, <c>onnx-cuda</c>, or <c>auto</c> (<c>onnx-cuda</c> when the CUDA
/// provider starts on this machine, else <c>simd</c>). A backend that was named but cannot start fails here, at silo
/// start, with a <see cref="StepBackendUnavailableException"/> that says why; it is never replaced silently.
/// </summary>
public static class StepBackendFactory
{
    /// <summary>The option value that picks CUDA when it starts here and the SIMD kernel otherwise.</summary>
    public const string AutoBackendName = "auto";

    /// <summary>Every accepted backend name.</summary>
    public static IReadOnlyList<string> Names { get; } =
        [SimdStepBackend.BackendName, OnnxStepBackend.CpuBackendName, OnnxStepBackend.CudaBackendName, AutoBackendName];

    /// <summary>The backend <paramref name="options"/> name for <paramref name="model"/>.</summary>
    public static IStepBackend Create(MicroMomentModel model, ModelExecutorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Create(options.Backend, model, options, out _);
    }

    /// <summary>The backend called <paramref name="name"/> for <paramref name="model"/>, sized by <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">The name is not a backend.</exception>
    /// <exception cref="StepBackendUnavailableException">The named backend cannot start here; the message says why.</exception>
    public static IStepBackend Create(string name, MicroMomentModel model, ModelExecutorOptions options) => Create(name, model, options, out _);

    /// <summary>
    /// As <see cref="Create(string, MicroMomentModel, ModelExecutorOptions)"/>; for <c>auto</c>,
    /// <paramref name="autoFallbackReason"/> says why CUDA was not taken (null when it was, or for other names).
    /// </summary>
    public static IStepBackend Create(string name, MicroMomentModel model, ModelExecutorOptions options, out string? autoFallbackReason)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        autoFallbackReason = null;
        string key = (name ?? string.Empty).Trim().ToLowerInvariant();
        var network = model.Network;
        switch (key)
        {
            case SimdStepBackend.BackendName:
                return new SimdStepBackend(network, options.MaxBatch, options.DegreeOfParallelism);
            case OnnxStepBackend.CpuBackendName:
                return StartOnnx(key, model, OnnxExecutionProvider.Cpu, options);
            case OnnxStepBackend.CudaBackendName:
                return StartOnnx(key, model, OnnxExecutionProvider.Cuda, options);
            case AutoBackendName:
                try
                {
                    return StartOnnx(OnnxStepBackend.CudaBackendName, model, OnnxExecutionProvider.Cuda, options);
                }
                catch (StepBackendUnavailableException ex)
                {
                    autoFallbackReason = ex.Message;
                    return new SimdStepBackend(network, options.MaxBatch, options.DegreeOfParallelism);
                }

            default:
                throw new ArgumentException(
                    $"'{name}' is not a model backend; expected one of {string.Join(", ", Names)}.", nameof(name));
        }
    }

    private static OnnxStepBackend StartOnnx(string name, MicroMomentModel model, OnnxExecutionProvider provider, ModelExecutorOptions options)
    {
        try
        {
            return new OnnxStepBackend(model.Network, provider, options.MaxBatch, options.DegreeOfParallelism);
        }
        catch (OnnxRuntimeUnavailableException ex)
        {
            throw new StepBackendUnavailableException(name, $"The silo's model backend '{name}' cannot start on this machine: {ex.Message}", ex);
        }
        catch (OnnxGraphException ex)
        {
            throw new StepBackendUnavailableException(name, $"The silo's model backend '{name}' cannot start: {ex.Message}", ex);
        }
    }
}
