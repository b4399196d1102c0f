using MicroMoment.Model;

namespace MicroMoment.Benchmarks;

/// <summary>
/// <see cref="Steps"/> consecutive streaming steps of one session on <see cref="BenchmarkModel"/>; a
/// <c>zeroFraction</c> of 0 is a fully dense feature vector, 0.8 resembles one-hot encoded event features.
/// </summary>
public sealed class StepWorkload
{
    /// <summary>Steps per <see cref="Run"/>.</summary>
    public const int Steps = 1024;

    private readonly AttentionLstm _model = BenchmarkModel.Create();
    private readonly float[] _inputs;
    private readonly float[] _state;

    /// <summary>Builds the model, the inputs (a <paramref name="zeroFraction"/> share of exact zeros) and a reset state.</summary>
    public StepWorkload(double zeroFraction)
    {
        _inputs = SyntheticData.Inputs(Steps, BenchmarkModel.InputSize, zeroFraction, 7);
        _state = BenchmarkModel.ResetStates(_model, 1);
    }

    /// <summary>Runs the <see cref="Steps"/> steps; returns the sum of the buy logits so the work cannot be dropped.</summary>
    public float Run()
    {
        const int d = BenchmarkModel.InputSize;
        float sum = 0;
        for (int i = 0; i < Steps; i++)
        {
            sum += _model.Step(_inputs.AsSpan(i * d, d), _state).BuyLogit;
        }

        return sum;
    }
}
