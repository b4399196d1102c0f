using MicroMoment.Model;

namespace MicroMoment.Benchmarks;

/// <summary>One <see cref="AttentionLstm.StepBatch"/> of a batch of users with dense inputs on <see cref="BenchmarkModel"/>.</summary>
public sealed class BatchStepWorkload : IDisposable
{
    private readonly AttentionLstm _model = BenchmarkModel.Create();
    private readonly BatchWorkspace _workspace;
    private readonly float[] _inputs;
    private readonly float[] _states;
    private readonly float[] _buy;
    private readonly float[] _exit;
    private readonly float[] _scores;

    /// <summary>Builds the model, a workspace using <paramref name="threads"/> row blocks at once, inputs and reset states.</summary>
    public BatchStepWorkload(int batch, int threads)
    {
        Batch = batch;
        _workspace = new BatchWorkspace(BenchmarkModel.Shape, batch) { DegreeOfParallelism = threads };
        _inputs = SyntheticData.Inputs(batch, BenchmarkModel.InputSize, 0.0, 3);
        _states = BenchmarkModel.ResetStates(_model, batch);
        _buy = new float[batch];
        _exit = new float[batch];
        _scores = new float[batch];
    }

    /// <summary>Users per step.</summary>
    public int Batch { get; }

    /// <summary>One batched step of all users.</summary>
    public void Run() => _model.StepBatch(_inputs, _states, _buy, _exit, _scores, _workspace);

    /// <summary>Stops the workspace's helper threads.</summary>
    public void Dispose() => _workspace.Dispose();
}
