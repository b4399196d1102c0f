using BenchmarkDotNet.Attributes;
using MicroMoment.Model;

namespace MicroMoment.Benchmarks;

/// <summary>
/// One streaming <see cref="AttentionLstm.Step"/> (H = 64, D = 60, A = 32); time per operation is per step.
/// ZeroFraction 0 is a fully dense feature vector, 0.8 resembles one-hot encoded event features.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[OpsPerSecondColumn]
public class StepBenchmarks
{
    private const int Steps = 1024;
    private AttentionLstm _model = null!;
    private float[] _inputs = null!;
    private float[] _state = null!;

    /// <summary>Share of exact zeros in the inputs.</summary>
    [Params(0.0, 0.8)]
    public double ZeroFraction { get; set; }

    /// <summary>Builds the model and inputs.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _model = AttentionLstm.Create(new AttentionLstmShape(60, 64, 32), 1);
        _inputs = SyntheticData.Inputs(Steps, 60, ZeroFraction, 7);
        _state = new float[_model.StateSize];
        _model.ResetState(_state);
    }

    /// <summary>1024 consecutive steps of one session.</summary>
    [Benchmark(OperationsPerInvoke = Steps)]
    public float Step()
    {
        float sum = 0;
        for (int i = 0; i < Steps; i++)
        {
            sum += _model.Step(_inputs.AsSpan(i * 60, 60), _state).BuyLogit;
        }

        return sum;
    }
}
