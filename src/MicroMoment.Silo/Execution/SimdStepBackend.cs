using MicroMoment.Model;

namespace MicroMoment.Silo.Execution;

/// <summary>
/// The project's CPU kernel: <see cref="AttentionLstm.StepBatch"/> (GEMM with AVX-512/AVX2/scalar paths) on one
/// reusable <see cref="BatchWorkspace"/>. Batches of at least <see cref="BatchWorkspace.ParallelThreshold"/>
/// rows are split across <see cref="BatchWorkspace.DegreeOfParallelism"/> threads.
/// </summary>
public sealed class SimdStepBackend : IStepBackend
{
    /// <summary>The option value that selects this backend.</summary>
    public const string BackendName = "simd";

    private readonly AttentionLstm _network;
    private readonly BatchWorkspace _workspace;

    /// <summary>Creates the backend for <paramref name="network"/> and batches of up to <paramref name="maxBatch"/> rows.</summary>
    /// <param name="network">The model's network.</param>
    /// <param name="maxBatch">Most rows per call.</param>
    /// <param name="degreeOfParallelism">Threads a large batch is split across (1: the caller's thread only).</param>
    public SimdStepBackend(AttentionLstm network, int maxBatch, int degreeOfParallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(network);
        _network = network;
        _workspace = new BatchWorkspace(network.Shape, maxBatch) { DegreeOfParallelism = Math.Max(1, degreeOfParallelism) };
    }

    /// <inheritdoc/>
    public string Name => BackendName;

    /// <inheritdoc/>
    public int InputSize => _network.Shape.InputSize;

    /// <inheritdoc/>
    public int StateSize => _network.StateSize;

    /// <inheritdoc/>
    public int MaxBatch => _workspace.MaxBatch;

    /// <inheritdoc/>
    public void Step(ReadOnlySpan<float> inputs, Span<float> states, Span<float> buyLogits, Span<float> exitLogits, Span<float> attentionScores) =>
        _network.StepBatch(inputs, states, buyLogits, exitLogits, attentionScores, _workspace);

    /// <inheritdoc/>
    public void Dispose() => _workspace.Dispose();
}
