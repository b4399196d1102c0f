using MicroMoment.Onnx;
using MicroMoment.Silo.Execution;

namespace MicroMoment.Benchmarks;

/// <summary>
/// One <see cref="IStepBackend.Step"/> of a batch of shoppers with dense inputs on <see cref="BenchmarkModel"/>, for the
/// backends by their silo option name (simd, onnx-cpu, onnx-cuda), each on one thread.
/// </summary>
public sealed class BackendStepWorkload : IDisposable
{
    private readonly IStepBackend _backend;
    private readonly float[] _inputs;
    private readonly float[] _states;
    private readonly float[] _buy;
    private readonly float[] _exit;
    private readonly float[] _scores;

    /// <summary>Starts <paramref name="backend"/> for batches of <paramref name="batch"/> rows and makes the inputs and reset states.</summary>
    public BackendStepWorkload(string backend, int batch)
    {
        var network = BenchmarkModel.Create();
        _backend = Create(backend, network, batch);
        Batch = batch;
        _inputs = SyntheticData.Inputs(batch, BenchmarkModel.InputSize, 0.0, 3);
        _states = BenchmarkModel.ResetStates(network, batch);
        _buy = new float[batch];
        _exit = new float[batch];
        _scores = new float[batch];
    }

    /// <summary>Shoppers per step.</summary>
    public int Batch { get; }

    /// <summary>The backend's name.</summary>
    public string Backend => _backend.Name;

    /// <summary>One step of every row.</summary>
    public void Run() => _backend.Step(_inputs, _states, _buy, _exit, _scores);

    /// <summary>Releases the backend.</summary>
    public void Dispose() => _backend.Dispose();

    /// <summary>The backend called <paramref name="name"/> over <paramref name="network"/>, one thread.</summary>
    public static IStepBackend Create(string name, Model.AttentionLstm network, int maxBatch) => name switch
    {
        SimdStepBackend.BackendName => new SimdStepBackend(network, maxBatch, 1),
        OnnxStepBackend.CpuBackendName => new OnnxStepBackend(network, OnnxExecutionProvider.Cpu, maxBatch, 1),
        OnnxStepBackend.CudaBackendName => new OnnxStepBackend(network, OnnxExecutionProvider.Cuda, maxBatch, 1),
        _ => throw new ArgumentException($"'{name}' is not a backend; expected simd, onnx-cpu or onnx-cuda.", nameof(name)),
    };
}
