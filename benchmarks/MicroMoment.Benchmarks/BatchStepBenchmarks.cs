using BenchmarkDotNet.Attributes;
using MicroMoment.Model;

namespace MicroMoment.Benchmarks;

/// <summary>
/// <see cref="AttentionLstm.StepBatch"/> for B = 256 users (H = 64, D = 60, A = 32); time per operation is per
/// user-step, so Ops/s is steps per second.
/// </summary>
[ModelBenchmark]
public class BatchStepBenchmarks
{
    private const int Batch = 256;
    private BatchStepWorkload _workload = null!;

    /// <summary>Row blocks processed concurrently.</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Builds the model, workspace and a batch of dense inputs.</summary>
    [GlobalSetup]
    public void Setup() => _workload = new BatchStepWorkload(Batch, Threads);

    /// <summary>Stops the workspace's helper threads.</summary>
    [GlobalCleanup]
    public void Cleanup() => _workload.Dispose();

    /// <summary>One batched step of 256 users.</summary>
    [Benchmark(OperationsPerInvoke = Batch)]
    public void StepBatch() => _workload.Run();
}
