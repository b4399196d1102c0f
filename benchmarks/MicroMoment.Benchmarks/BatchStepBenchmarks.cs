using BenchmarkDotNet.Attributes;
using MicroMoment.Model;

namespace MicroMoment.Benchmarks;

/// <summary>
/// <see cref="AttentionLstm.StepBatch"/> for B = 256 users (H = 64, D = 60, A = 32); time per operation is per
/// user-step, so Ops/s is steps per second.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[OpsPerSecondColumn]
public class BatchStepBenchmarks
{
    private const int Batch = 256;
    private AttentionLstm _model = null!;
    private BatchWorkspace _workspace = null!;
    private float[] _inputs = null!;
    private float[] _states = null!;
    private float[] _buy = null!;
    private float[] _exit = null!;
    private float[] _scores = null!;

    /// <summary>Row blocks processed concurrently.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Builds the model, workspace and a batch of dense inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var shape = new AttentionLstmShape(60, 64, 32);
        _model = AttentionLstm.Create(shape, 1);
        _workspace = new BatchWorkspace(shape, Batch) { DegreeOfParallelism = Threads };
        _inputs = SyntheticData.Inputs(Batch, 60, 0.0, 3);
        _states = new float[Batch * _model.StateSize];
        for (int r = 0; r < Batch; r++)
        {
            _model.ResetState(_states.AsSpan(r * _model.StateSize, _model.StateSize));
        }

        _buy = new float[Batch];
        _exit = new float[Batch];
        _scores = new float[Batch];
    }

    /// <summary>Stops the workspace's helper threads.</summary>
    [GlobalCleanup]
    public void Cleanup() => _workspace.Dispose();

    /// <summary>One batched step of 256 users.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void StepBatch() => _model.StepBatch(_inputs, _states, _buy, _exit, _scores, _workspace);
}
