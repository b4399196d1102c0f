namespace MicroMoment.Training;

/// <summary>A fitted <see cref="IPrefixClassifierTrainer"/>: raw scores (higher = more likely positive) for prefix rows;
/// the experiment calibrates them on validation data as it does every model's.</summary>
public interface IPrefixClassifier
{
    /// <summary>What was fitted, in words (e.g. how many trees, and where early stopping ended).</summary>
    string Description { get; }

    /// <summary>Writes one raw score per row of <paramref name="rows"/> into <paramref name="scores"/>.</summary>
    void Score(PrefixRows rows, Span<float> scores);
}
