using BenchmarkDotNet.Attributes;

namespace MicroMoment.Benchmarks;

/// <summary>
/// One batched step through each executor backend (H = 64, D = 60, A = 32, one thread) at batch 1, 16, 256 and 4,096,
/// in one run. Time is per batch; the Steps/s column divides the batch by the median time.
/// </summary>
[ModelBenchmark]
[StepsPerSecondColumn]
public class BackendStepBenchmarks
{
    private BackendStepWorkload _workload = null!;

    /// <summary>The silo option value of the backend.</summary>
    [Params("simd", "onnx-cpu")]
    public string Backend { get; set; } = "simd";

    /// <summary>Shoppers per step.</summary>
    [Params(1, 16, 256, 4096)]
    public int Batch { get; set; }

    /// <summary>Starts the backend and builds the batch.</summary>
    [GlobalSetup]
    public void Setup() => _workload = new BackendStepWorkload(Backend, Batch);

    /// <summary>Releases the backend.</summary>
    [GlobalCleanup]
    public void Cleanup() => _workload.Dispose();

    /// <summary>One step of the whole batch.</summary>
    [Benchmark]
    public void Step() => _workload.Run();
}
