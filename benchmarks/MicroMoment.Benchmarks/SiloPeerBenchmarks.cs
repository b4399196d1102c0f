using BenchmarkDotNet.Attributes;

namespace MicroMoment.Benchmarks;

/// <summary>
/// Events per second of 1,024 concurrent shoppers stepping 8 events each, every event a grain turn: the per-event
/// ONNX Runtime peer (one <c>Run</c> per event, batch 1, from the grain) against the silo's batched executor on the
/// onnx-cpu and simd backends (see <see cref="SiloPeerWorkload"/>). Ops/s is events per second.
/// </summary>
[ModelBenchmark]
public class SiloPeerBenchmarks
{
    private const int Shoppers = 1024;
    private const int EventsPerShopper = 8;
    private SiloPeerWorkload _workload = null!;

    /// <summary>How the grains step the model.</summary>
    [Params(SiloPeerWorkload.PerEventOnnx, SiloPeerWorkload.ExecutorOnnxCpu, SiloPeerWorkload.ExecutorSimd)]
    public string Mode { get; set; } = SiloPeerWorkload.PerEventOnnx;

    /// <summary>Builds the shoppers and the session or executor.</summary>
    [GlobalSetup]
    public void Setup() => _workload = new SiloPeerWorkload(Mode, Shoppers, EventsPerShopper);

    /// <summary>Releases the session or executor.</summary>
    [GlobalCleanup]
    public void Cleanup() => _workload.Dispose();

    /// <summary>All shoppers step all their events.</summary>
    [Benchmark(OperationsPerInvoke = Shoppers * EventsPerShopper)]
    public Task Events() => _workload.RunAsync();
}
