using MicroMoment.Model;

namespace MicroMoment.Benchmarks;

/// <summary>
/// The model every benchmark and probe measures (D = 60, H = 64, A = 32, seed 1) and the workloads built on it, so
/// that the BenchmarkDotNet classes and the Stopwatch probes time exactly the same thing.
/// </summary>
public static class BenchmarkModel
{
    /// <summary>Features per event (D).</summary>
    public const int InputSize = 60;

    /// <summary>Sessions of the training workload.</summary>
    public const int TrainingSessions = 512;

    /// <summary>The measured shape: D = 60, H = 64, A = 32.</summary>
    public static AttentionLstmShape Shape { get; } = new(InputSize, 64, 32);

    /// <summary>A fresh model of <see cref="Shape"/> with fixed initial weights.</summary>
    public static AttentionLstm Create() => AttentionLstm.Create(Shape, 1);

    /// <summary>
    /// <paramref name="sessions"/> training sessions of 4-40 events (always the same ones for a count; the training
    /// benchmark's <see cref="TrainingSessions"/> hold 11,004 events).
    /// </summary>
    public static List<SequenceExample> TrainingData(int sessions = TrainingSessions) =>
        SyntheticData.Sequences(sessions, InputSize, 4, 40, 11);

    /// <summary>Reset streaming states for <paramref name="rows"/> sessions, one <see cref="AttentionLstm.StateSize"/> slice each.</summary>
    public static float[] ResetStates(AttentionLstm model, int rows)
    {
        var states = new float[rows * model.StateSize];
        for (int r = 0; r < rows; r++)
        {
            model.ResetState(states.AsSpan(r * model.StateSize, model.StateSize));
        }

        return states;
    }
}
