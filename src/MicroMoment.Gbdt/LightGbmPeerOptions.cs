namespace MicroMoment.Gbdt;

/// <summary>Settings of <see cref="LightGbmPeer"/>: what a data scientist would try first on tabular prefix features
/// (LightGBM's usual leaves and leaf size, a moderate learning rate, many rounds cut by early stopping). Every default
/// is a named constant.</summary>
public sealed record LightGbmPeerOptions
{
    /// <summary>Default <see cref="MaxIterations"/>.</summary>
    public const int DefaultMaxIterations = 1000;

    /// <summary>Default <see cref="EarlyStoppingRounds"/>.</summary>
    public const int DefaultEarlyStoppingRounds = 50;

    /// <summary>Default <see cref="IterationsWithoutValidation"/>.</summary>
    public const int DefaultIterationsWithoutValidation = 200;

    /// <summary>Default <see cref="LearningRate"/>.</summary>
    public const double DefaultLearningRate = 0.05;

    /// <summary>Default <see cref="Leaves"/> (LightGBM's own default).</summary>
    public const int DefaultLeaves = 31;

    /// <summary>Default <see cref="MinimumExamplesPerLeaf"/> (LightGBM's own default).</summary>
    public const int DefaultMinimumExamplesPerLeaf = 20;

    /// <summary>Boosting rounds at most; early stopping on the validation prefixes usually ends sooner.</summary>
    public int MaxIterations { get; init; } = DefaultMaxIterations;

    /// <summary>Stop when the validation log loss has not improved for this many rounds (the best round's trees are kept).</summary>
    public int EarlyStoppingRounds { get; init; } = DefaultEarlyStoppingRounds;

    /// <summary>Rounds to train when the validation prefixes hold one class only, so early stopping has nothing to watch.</summary>
    public int IterationsWithoutValidation { get; init; } = DefaultIterationsWithoutValidation;

    /// <summary>Shrinkage of each tree.</summary>
    public double LearningRate { get; init; } = DefaultLearningRate;

    /// <summary>Leaves per tree at most.</summary>
    public int Leaves { get; init; } = DefaultLeaves;

    /// <summary>Training prefixes a leaf needs at least.</summary>
    public int MinimumExamplesPerLeaf { get; init; } = DefaultMinimumExamplesPerLeaf;

    /// <summary>Threads LightGBM uses. Results do not depend on it: training runs in LightGBM's deterministic mode with
    /// column-wise histograms, so a seed gives the same trees on any thread count.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (MaxIterations < 1) throw new ArgumentException($"LightGbmPeerOptions.MaxIterations is {MaxIterations}; expected at least 1.", nameof(MaxIterations));
        if (EarlyStoppingRounds < 1) throw new ArgumentException($"LightGbmPeerOptions.EarlyStoppingRounds is {EarlyStoppingRounds}; expected at least 1.", nameof(EarlyStoppingRounds));
        if (IterationsWithoutValidation < 1) throw new ArgumentException($"LightGbmPeerOptions.IterationsWithoutValidation is {IterationsWithoutValidation}; expected at least 1.", nameof(IterationsWithoutValidation));
        if (!(LearningRate is > 0 and <= 1)) throw new ArgumentException($"LightGbmPeerOptions.LearningRate is {LearningRate}; expected a value in (0, 1].", nameof(LearningRate));
        if (Leaves < 2) throw new ArgumentException($"LightGbmPeerOptions.Leaves is {Leaves}; expected at least 2.", nameof(Leaves));
        if (MinimumExamplesPerLeaf < 1) throw new ArgumentException($"LightGbmPeerOptions.MinimumExamplesPerLeaf is {MinimumExamplesPerLeaf}; expected at least 1.", nameof(MinimumExamplesPerLeaf));
        if (Threads < 1) throw new ArgumentException($"LightGbmPeerOptions.Threads is {Threads}; expected at least 1.", nameof(Threads));
    }
}
