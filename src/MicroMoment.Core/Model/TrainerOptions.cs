namespace MicroMoment.Model;

/// <summary>Hyper-parameters of <see cref="AttentionLstmTrainer"/>; every default is a named constant.</summary>
public sealed record TrainerOptions
{
    /// <summary>Default <see cref="Epochs"/>.</summary>
    public const int DefaultEpochs = 20;

    /// <summary>Default <see cref="BatchSize"/> (prefix examples per minibatch, see <see cref="BatchUnit"/>).</summary>
    public const int DefaultBatchSize = 128;

    /// <summary>Default Adam <see cref="LearningRate"/>.</summary>
    public const double DefaultLearningRate = 1e-3;

    /// <summary>Default Adam <see cref="Beta1"/>.</summary>
    public const double DefaultBeta1 = 0.9;

    /// <summary>Default Adam <see cref="Beta2"/>.</summary>
    public const double DefaultBeta2 = 0.999;

    /// <summary>Default Adam <see cref="Epsilon"/>.</summary>
    public const double DefaultEpsilon = 1e-8;

    /// <summary>Default <see cref="Patience"/> (epochs without improvement before stopping).</summary>
    public const int DefaultPatience = 3;

    /// <summary>Default <see cref="Seed"/>.</summary>
    public const ulong DefaultSeed = 20191001;

    /// <summary>Cap of an automatically derived positive-class weight.</summary>
    public const double MaxAutomaticPositiveWeight = 50;

    /// <summary>Default <see cref="ExitLossWeight"/>.</summary>
    public const double DefaultExitLossWeight = 0.5;

    /// <summary>Default <see cref="GradientClipNorm"/>.</summary>
    public const double DefaultGradientClipNorm = 5;

    /// <summary>Default <see cref="DegreeOfParallelism"/>.</summary>
    public const int DefaultDegreeOfParallelism = 2;

    /// <summary>Default <see cref="MaxSequenceLength"/>.</summary>
    public const int DefaultMaxSequenceLength = 200;

    /// <summary>Passes over the training set (upper bound; early stopping may end sooner).</summary>
    public int Epochs { get; init; } = DefaultEpochs;

    /// <summary>Sequences per minibatch.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>What <see cref="BatchSize"/> counts: prefix examples (the default; whole sessions are added
    /// until the batch holds that many prefixes) or whole sequences.</summary>
    public BatchUnit BatchUnit { get; init; } = BatchUnit.Prefixes;

    /// <summary>Adam step size.</summary>
    public double LearningRate { get; init; } = DefaultLearningRate;

    /// <summary>Adam first-moment decay.</summary>
    public double Beta1 { get; init; } = DefaultBeta1;

    /// <summary>Adam second-moment decay.</summary>
    public double Beta2 { get; init; } = DefaultBeta2;

    /// <summary>Adam denominator offset.</summary>
    public double Epsilon { get; init; } = DefaultEpsilon;

    /// <summary>Stop after this many epochs without a lower monitored loss, then restore the best epoch's weights.</summary>
    public int Patience { get; init; } = DefaultPatience;

    /// <summary>Seed of the per-epoch shuffles (training is bit-reproducible for a given seed and data).</summary>
    public ulong Seed { get; init; } = DefaultSeed;

    /// <summary>
    /// Weight of positive buy targets in the binary cross-entropy: this is the class-imbalance treatment.
    /// Null derives it from the training data as (negatives / positives), capped at
    /// <see cref="MaxAutomaticPositiveWeight"/> (1 when either class is absent).
    /// </summary>
    public double? BuyPositiveWeight { get; init; }

    /// <summary>Weight of positive exit targets; null applies the same rule as <see cref="BuyPositiveWeight"/> to exit targets.</summary>
    public double? ExitPositiveWeight { get; init; }

    /// <summary>Factor of the exit loss in the total loss (buy loss + ExitLossWeight · exit loss).</summary>
    public double ExitLossWeight { get; init; } = DefaultExitLossWeight;

    /// <summary>Minibatch gradients with a larger global L2 norm are scaled down to this norm.</summary>
    public double GradientClipNorm { get; init; } = DefaultGradientClipNorm;

    /// <summary>Worker threads per minibatch. Results do not depend on it (gradients are summed per fixed shard).</summary>
    public int DegreeOfParallelism { get; init; } = DefaultDegreeOfParallelism;

    /// <summary>Longer sequences are cut to their first MaxSequenceLength events for training and loss evaluation.</summary>
    public int MaxSequenceLength { get; init; } = DefaultMaxSequenceLength;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid option.</summary>
    public void Validate()
    {
        Require(Epochs >= 1, nameof(Epochs), Epochs, "at least 1");
        Require(BatchSize >= 1, nameof(BatchSize), BatchSize, "at least 1");
        Require(LearningRate > 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "a positive finite number");
        Require(Beta1 >= 0 && Beta1 < 1, nameof(Beta1), Beta1, "in [0, 1)");
        Require(Beta2 >= 0 && Beta2 < 1, nameof(Beta2), Beta2, "in [0, 1)");
        Require(Epsilon > 0 && double.IsFinite(Epsilon), nameof(Epsilon), Epsilon, "a positive finite number");
        Require(Patience >= 1, nameof(Patience), Patience, "at least 1");
        Require(BuyPositiveWeight is null || (BuyPositiveWeight > 0 && double.IsFinite(BuyPositiveWeight.Value)),
            nameof(BuyPositiveWeight), BuyPositiveWeight, "null or a positive finite number");
        Require(ExitPositiveWeight is null || (ExitPositiveWeight > 0 && double.IsFinite(ExitPositiveWeight.Value)),
            nameof(ExitPositiveWeight), ExitPositiveWeight, "null or a positive finite number");
        Require(ExitLossWeight >= 0 && double.IsFinite(ExitLossWeight), nameof(ExitLossWeight), ExitLossWeight, "a non-negative finite number");
        Require(GradientClipNorm > 0, nameof(GradientClipNorm), GradientClipNorm, "positive (use double.PositiveInfinity to disable clipping)");
        Require(DegreeOfParallelism >= 1, nameof(DegreeOfParallelism), DegreeOfParallelism, "at least 1");
        Require(MaxSequenceLength >= 1, nameof(MaxSequenceLength), MaxSequenceLength, "at least 1");
    }

    private static void Require(bool ok, string name, object? value, string expected)
    {
        if (!ok)
        {
            throw new ArgumentException($"TrainerOptions.{name} must be {expected}, but was {value ?? "null"}.", name);
        }
    }
}
