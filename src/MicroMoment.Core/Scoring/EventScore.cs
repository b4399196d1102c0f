namespace MicroMoment.Scoring;

/// <summary>What the model says after one event of a live session.</summary>
/// <param name="BuyProbability">Calibrated probability that the session purchases later; NaN (no score) when the model has no buy head.</param>
/// <param name="ExitProbability">Calibrated probability that this is the session's last event; NaN (no score) when the model has no exit head.</param>
/// <param name="Cluster">The behavioral cluster of the session prefix.</param>
/// <param name="AttentionLogit">The raw attention logit e_t the model gives this event (not a weight: the session's weights are the softmax of these logits).</param>
/// <param name="Intent">Buy, exit or research, by the model's thresholds.</param>
/// <param name="Position">0-based index of the event in its session.</param>
/// <param name="NewSession">True when this event started a new session.</param>
[Orleans.GenerateSerializer]
[Orleans.Alias("mm.EventScore")]
[Orleans.Immutable]
public readonly record struct EventScore(
    float BuyProbability,
    float ExitProbability,
    int Cluster,
    float AttentionLogit,
    Intent Intent,
    int Position,
    bool NewSession);
