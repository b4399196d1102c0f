namespace MicroMoment.Scoring;

/// <summary>The output heads a model was trained for. A head the training data could not teach (a log without
/// purchases has no buy examples) is left out, and the model gives no score for it (NaN) instead of a made-up one.</summary>
[Flags]
public enum ModelHeads
{
    /// <summary>No head (not a valid model).</summary>
    None = 0,

    /// <summary>The buy head: the probability that the session purchases later.</summary>
    Buy = 1,

    /// <summary>The exit head: the probability that this is the session's last event.</summary>
    Exit = 2,

    /// <summary>Both heads (every model written before heads could be left out).</summary>
    Both = Buy | Exit,
}
