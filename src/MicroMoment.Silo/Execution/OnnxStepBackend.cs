using MicroMoment.Model;
using MicroMoment.Onnx;

namespace MicroMoment.Silo.Execution;

/// <summary>
/// The model's step as the exported ONNX graph on ONNX Runtime: <c>onnx-cpu</c> (the CPU execution provider) or
/// <c>onnx-cuda</c> (the CUDA execution provider). Scores equal the <see cref="SimdStepBackend"/> up to float rounding
/// (1e-5 through whole sessions, checked on the REES46 sample). A batch is copied into ONNX Runtime's buffers once and
/// out once; see <see cref="OnnxStepSession"/>.
/// </summary>
public sealed class OnnxStepBackend : IStepBackend
{
    /// <summary>The option value that selects the CPU execution provider.</summary>
    public const string CpuBackendName = "onnx-cpu";

    /// <summary>The option value that selects the CUDA execution provider.</summary>
    public const string CudaBackendName = "onnx-cuda";

    private readonly OnnxStepSession _session;

    /// <summary>Builds the step graph of <paramref name="network"/> and starts it on <paramref name="provider"/>.</summary>
    /// <param name="network">The model's network.</param>
    /// <param name="provider">Where ONNX Runtime runs it.</param>
    /// <param name="maxBatch">Most rows per call.</param>
    /// <param name="threads">ONNX Runtime's intra-op threads (CPU provider).</param>
    /// <exception cref="OnnxRuntimeUnavailableException">ONNX Runtime or the provider cannot run here; the message says why.</exception>
    public OnnxStepBackend(AttentionLstm network, OnnxExecutionProvider provider, int maxBatch, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(network);
        _session = OnnxStepSession.Create(network, provider, maxBatch, threads);
        StateSize = network.StateSize;
    }

    /// <summary>Runs an exported graph that <see cref="StepGraphFile.Load"/> checked.</summary>
    /// <exception cref="OnnxRuntimeUnavailableException">ONNX Runtime or the provider cannot run here; the message says why.</exception>
    /// <exception cref="OnnxGraphException">ONNX Runtime refused the graph.</exception>
    public OnnxStepBackend(StepGraphFile graph, OnnxExecutionProvider provider, int maxBatch, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(graph);
        _session = OnnxStepSession.Create(graph, provider, maxBatch, threads);
        StateSize = graph.Shape.StateSize;
    }

    /// <inheritdoc/>
    public string Name => _session.Provider == OnnxExecutionProvider.Cuda ? CudaBackendName : CpuBackendName;

    /// <inheritdoc/>
    public int InputSize => _session.Shape.InputSize;

    /// <inheritdoc/>
    public int StateSize { get; }

    /// <inheritdoc/>
    public int MaxBatch => _session.MaxBatch;

    /// <summary>Where the batch buffers live (native heap, or CUDA page-locked memory).</summary>
    public string HostMemory => _session.HostMemory;

    /// <inheritdoc/>
    public void Step(ReadOnlySpan<float> inputs, Span<float> states, Span<float> buyLogits, Span<float> exitLogits, Span<float> attentionScores) =>
        _session.Step(inputs, states, buyLogits, exitLogits, attentionScores);

    /// <inheritdoc/>
    public void Dispose() => _session.Dispose();
}
