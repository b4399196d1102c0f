namespace MicroMoment.Client;

/// <summary>The model's score after an event.</summary>
/// <param name="Buy">Calibrated probability that the session ends in a purchase; null when the model has no buy head.</param>
/// <param name="Exit">Calibrated probability that this is the session's last event; null when the model has no exit head.</param>
/// <param name="Cluster">Behavioral cluster index.</param>
/// <param name="ClusterName">Behavioral cluster name.</param>
/// <param name="Intent">Buy, research or exit.</param>
/// <param name="Position">0-based position of the event in its session.</param>
/// <param name="NewSession">True when the event started a session.</param>
/// <param name="AttentionLogit">The raw attention logit e_t the model gave the event (JSON <c>attentionLogit</c>; not a weight).</param>
public sealed record Score(float? Buy, float? Exit, int Cluster, string? ClusterName, Intent Intent, int Position, bool NewSession, float AttentionLogit);
