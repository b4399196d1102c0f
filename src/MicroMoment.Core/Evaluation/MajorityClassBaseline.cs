namespace MicroMoment.Evaluation;

/// <summary>
/// The trivial baseline: predicts the training prevalence (share of positives) for every example, and the majority
/// class as its hard decision. Because every example gets the same score, its ROC AUC is exactly 0.5 by construction
/// (all pairs tie) and its average precision equals the test prevalence; any useful model must beat both.
/// </summary>
public sealed class MajorityClassBaseline
{
    /// <summary>Creates the baseline from a saved prevalence.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The prevalence is outside [0, 1].</exception>
    public MajorityClassBaseline(double prevalence)
    {
        if (!(prevalence >= 0 && prevalence <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(prevalence), prevalence, "Expected a prevalence in [0, 1].");
        }

        Prevalence = prevalence;
    }

    /// <summary>Share of positives in the training labels.</summary>
    public double Prevalence { get; }

    /// <summary>The class predicted for everything: 1 when positives are at least half of the training data.</summary>
    public byte MajorityClass => Prevalence >= 0.5 ? (byte)1 : (byte)0;

    /// <summary>Fits the baseline: counts the share of positives.</summary>
    /// <exception cref="ArgumentException">No labels, or a label is not 0/1.</exception>
    public static MajorityClassBaseline Fit(ReadOnlySpan<byte> labels)
    {
        int positives = InputChecks.LabelsAndLength(labels.Length, labels, nameof(labels));
        if (labels.Length == 0)
        {
            throw new ArgumentException("Expected at least one training label; got none.", nameof(labels));
        }

        return new MajorityClassBaseline((double)positives / labels.Length);
    }

    /// <summary>The predicted probability, identical for every example.</summary>
    public float PredictProbability() => (float)Prevalence;

    /// <summary>Fills <paramref name="destination"/> with the prevalence (one prediction per example).</summary>
    public void Predict(Span<float> destination) => destination.Fill((float)Prevalence);
}
