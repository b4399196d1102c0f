namespace MicroMoment.Training;

/// <summary>
/// A peer of the attention-LSTM that learns from flat prefix rows (<see cref="PrefixRows"/>): each prefix's model
/// input on its own, without the sequence before it. <see cref="ExperimentRunner"/> trains every peer of
/// <see cref="ExperimentOptions.Peers"/> on the same training prefixes as the LSTM, for each head, and measures it
/// on the same test prefixes. Implementations live where their dependencies may (a GBDT library stays out of the
/// serving path).
/// </summary>
public interface IPrefixClassifierTrainer
{
    /// <summary>The model's name in results, e.g. "gradient-boosted-trees".</summary>
    string Name { get; }

    /// <summary>
    /// Fits a classifier to <paramref name="train"/>. <paramref name="validation"/> (the validation sessions' prefixes)
    /// is for early stopping and is null when it does not hold both classes; the classifier must then stop by a rule
    /// of its own. Deterministic for a given <paramref name="seed"/>.
    /// </summary>
    IPrefixClassifier Fit(PrefixRows train, PrefixRows? validation, ulong seed);
}
