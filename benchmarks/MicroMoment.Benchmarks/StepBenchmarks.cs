using BenchmarkDotNet.Attributes;
using MicroMoment.Model;

namespace MicroMoment.Benchmarks;

/// <summary>
/// One streaming <see cref="AttentionLstm.Step"/> (H = 64, D = 60, A = 32); time per operation is per step.
/// ZeroFraction 0 is a fully dense feature vector, 0.8 resembles one-hot encoded event features.
/// </summary>
[ModelBenchmark]
public class StepBenchmarks
{
    private StepWorkload _workload = null!;

    /// <summary>Share of exact zeros in the inputs.</summary>
    [Params(0.0, 0.8)]
    public double ZeroFraction { get; set; }

    /// <summary>Builds the model and inputs.</summary>
    [GlobalSetup]
    public void Setup() => _workload = new StepWorkload(ZeroFraction);

    /// <summary>1024 consecutive steps of one session.</summary>
    [Benchmark(OperationsPerInvoke = StepWorkload.Steps)]
    public float Step() => _workload.Run();
}
