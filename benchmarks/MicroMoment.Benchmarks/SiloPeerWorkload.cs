using Microsoft.ML.OnnxRuntime;
using MicroMoment.Model;
using MicroMoment.Onnx;
using MicroMoment.Silo.Execution;

namespace MicroMoment.Benchmarks;

/// <summary>
/// Many shoppers stepping events at once the way grains do, on <see cref="BenchmarkModel"/>: each shopper is a task
/// on the thread pool that handles its events in order, every event a new turn (<see cref="Task.Yield"/>). Modes:
/// <list type="bullet">
/// <item><description><c>per-event-onnx</c>: the peer a developer following the design card literally builds: the
/// grain calls ONNX Runtime's <c>Run</c> itself for its one event (batch 1) on a shared CPU session, with tensors over
/// its own h, c, a, m, s arrays, and copies the new state back.</description></item>
/// <item><description><c>executor-onnx-cpu</c> and <c>executor-simd</c>: the grain writes its input and awaits the
/// silo's <see cref="ModelExecutor"/>, which gathers the waiting grains into one batch for the backend.</description></item>
/// </list>
/// </summary>
public sealed class SiloPeerWorkload : IDisposable
{
    /// <summary>The per-event peer's mode name.</summary>
    public const string PerEventOnnx = "per-event-onnx";

    /// <summary>The batched executor on the onnx-cpu backend.</summary>
    public const string ExecutorOnnxCpu = "executor-onnx-cpu";

    /// <summary>The batched executor on the simd backend.</summary>
    public const string ExecutorSimd = "executor-simd";

    private static readonly string[] InputNames = [StepGraph.X, StepGraph.H, StepGraph.C, StepGraph.M, StepGraph.S, StepGraph.A];
    private static readonly string[] OutputNames = [StepGraph.HNext, StepGraph.CNext, StepGraph.MNext, StepGraph.SNext, StepGraph.ANext, StepGraph.BuyLogit, StepGraph.ExitLogit, StepGraph.AttentionScore];

    private readonly string _mode;
    private readonly float[][][] _events;
    private readonly Shopper[] _shoppers;
    private readonly InferenceSession? _session;
    private readonly RunOptions? _runOptions;
    private readonly ModelExecutor? _executor;
    private double _checksum;

    /// <summary>Builds <paramref name="shoppers"/> shoppers with <paramref name="eventsPerShopper"/> dense events each, for <paramref name="mode"/>.</summary>
    public SiloPeerWorkload(string mode, int shoppers, int eventsPerShopper)
    {
        _mode = mode;
        var network = BenchmarkModel.Create();
        int d = BenchmarkModel.InputSize;
        var inputs = SyntheticData.Inputs(shoppers * eventsPerShopper, d, 0.0, 5);
        _events = new float[shoppers][][];
        for (int i = 0; i < shoppers; i++)
        {
            _events[i] = new float[eventsPerShopper][];
            for (int e = 0; e < eventsPerShopper; e++) _events[i][e] = inputs.AsSpan((i * eventsPerShopper + e) * d, d).ToArray();
        }

        switch (mode)
        {
            case PerEventOnnx:
                using (var options = OnnxRuntimeEnvironment.CreateSessionOptions(OnnxExecutionProvider.Cpu, threads: 1))
                {
                    _session = new InferenceSession(OnnxExport.GraphBytes(network, []), options);
                }

                _runOptions = new RunOptions();
                break;
            case ExecutorOnnxCpu:
                _executor = new ModelExecutor(new OnnxStepBackend(network, OnnxExecutionProvider.Cpu, shoppers, 1), new ModelExecutorOptions { MaxBatch = shoppers });
                break;
            case ExecutorSimd:
                _executor = new ModelExecutor(new SimdStepBackend(network, shoppers, 1), new ModelExecutorOptions { MaxBatch = shoppers });
                break;
            default:
                throw new ArgumentException($"'{mode}' is not a mode; expected {PerEventOnnx}, {ExecutorOnnxCpu} or {ExecutorSimd}.", nameof(mode));
        }

        _shoppers = [.. Enumerable.Range(0, shoppers).Select(_ => new Shopper(network, _executor))];
    }

    /// <summary>Events one <see cref="RunAsync"/> steps.</summary>
    public int Events => _shoppers.Length * _events[0].Length;

    /// <summary>Mean buy logit of the last round (keeps the work observable).</summary>
    public double Checksum => _checksum;

    /// <summary>Batches the executor ran so far (0 for the per-event peer).</summary>
    public long Batches => _executor?.Batches ?? 0;

    /// <summary>Every shopper steps all its events, concurrently; completes when all are done.</summary>
    public async Task RunAsync()
    {
        var tasks = new Task[_shoppers.Length];
        for (int i = 0; i < tasks.Length; i++) tasks[i] = _executor is null ? PerEventShopperAsync(i) : ExecutorShopperAsync(i);
        await Task.WhenAll(tasks);
        double sum = 0;
        foreach (var shopper in _shoppers) sum += shopper.LastBuyLogit;
        _checksum = sum / _shoppers.Length;
    }

    /// <summary>Releases the session or executor.</summary>
    public void Dispose()
    {
        _executor?.Dispose();
        _runOptions?.Dispose();
        _session?.Dispose();
    }

    private async Task ExecutorShopperAsync(int index)
    {
        var shopper = _shoppers[index];
        foreach (var input in _events[index])
        {
            await Task.Yield();
            input.CopyTo(shopper.Request!.Input, 0);
            var output = await _executor!.StepAsync(shopper.Request);
            shopper.LastBuyLogit = output.BuyLogit;
        }
    }

    private async Task PerEventShopperAsync(int index)
    {
        var shopper = _shoppers[index];
        foreach (var input in _events[index])
        {
            await Task.Yield();
            StepOneEvent(shopper, input);
        }
    }

    /// <summary>The design card's grain code: one ONNX Runtime Run for this shopper's event.</summary>
    private void StepOneEvent(Shopper shopper, float[] input)
    {
        int h = shopper.H.Length;
        using var x = OrtValue.CreateTensorValueFromMemory(input, [1, input.Length]);
        using var hidden = OrtValue.CreateTensorValueFromMemory(shopper.H, [1, h]);
        using var cell = OrtValue.CreateTensorValueFromMemory(shopper.C, [1, h]);
        using var max = OrtValue.CreateTensorValueFromMemory(shopper.M, [1]);
        using var sum = OrtValue.CreateTensorValueFromMemory(shopper.S, [1]);
        using var numerator = OrtValue.CreateTensorValueFromMemory(shopper.A, [1, h]);
        using var outputs = _session!.Run(_runOptions, InputNames, [x, hidden, cell, max, sum, numerator], OutputNames);
        outputs[0].GetTensorDataAsSpan<float>().CopyTo(shopper.H);
        outputs[1].GetTensorDataAsSpan<float>().CopyTo(shopper.C);
        outputs[2].GetTensorDataAsSpan<float>().CopyTo(shopper.M);
        outputs[3].GetTensorDataAsSpan<float>().CopyTo(shopper.S);
        outputs[4].GetTensorDataAsSpan<float>().CopyTo(shopper.A);
        shopper.LastBuyLogit = outputs[5].GetTensorDataAsSpan<float>()[0];
    }

    /// <summary>One shopper's state: the packed state for the executor, or the graph's tensors for the per-event peer.</summary>
    private sealed class Shopper
    {
        public Shopper(AttentionLstm network, ModelExecutor? executor)
        {
            int h = network.Shape.HiddenSize;
            H = new float[h];
            C = new float[h];
            A = new float[h];
            M = [float.NegativeInfinity];
            S = [0f];
            if (executor is not null)
            {
                Request = executor.CreateRequest();
                var state = new float[network.StateSize];
                network.ResetState(state);
                Request.State = state;
            }
        }

        public float[] H { get; }

        public float[] C { get; }

        public float[] A { get; }

        public float[] M { get; }

        public float[] S { get; }

        public StepRequest? Request { get; }

        public float LastBuyLogit { get; set; }
    }
}
