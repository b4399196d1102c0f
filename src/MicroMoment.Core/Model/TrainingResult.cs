namespace MicroMoment.Model;

/// <summary>Outcome of <see cref="AttentionLstmTrainer.Train"/>; the model holds the weights of <see cref="BestEpoch"/>.</summary>
public sealed class TrainingResult
{
    /// <summary>Creates a result.</summary>
    public TrainingResult(
        IReadOnlyList<EpochRecord> epochs,
        int bestEpoch,
        double bestLoss,
        bool stoppedEarly,
        double buyPositiveWeight,
        double exitPositiveWeight,
        TimeSpan elapsed)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        Epochs = epochs;
        BestEpoch = bestEpoch;
        BestLoss = bestLoss;
        StoppedEarly = stoppedEarly;
        BuyPositiveWeight = buyPositiveWeight;
        ExitPositiveWeight = exitPositiveWeight;
        Elapsed = elapsed;
    }

    /// <summary>One record per epoch run.</summary>
    public IReadOnlyList<EpochRecord> Epochs { get; }

    /// <summary>Epoch (1-based) whose weights were kept: lowest validation loss, or training loss without validation data.</summary>
    public int BestEpoch { get; }

    /// <summary>The monitored loss of <see cref="BestEpoch"/>.</summary>
    public double BestLoss { get; }

    /// <summary>True when training stopped because the monitored loss did not improve for Patience epochs.</summary>
    public bool StoppedEarly { get; }

    /// <summary>Positive-class weight used for the buy head (resolved from the data when the option was null).</summary>
    public double BuyPositiveWeight { get; }

    /// <summary>Positive-class weight used for the exit head.</summary>
    public double ExitPositiveWeight { get; }

    /// <summary>Total wall time.</summary>
    public TimeSpan Elapsed { get; }
}
