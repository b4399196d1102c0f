using MicroMoment.Events;

namespace MicroMoment.Training;

/// <summary>The attention the model gives each event of one session (up to its first purchase).</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Purchased">Whether the session went on to purchase.</param>
/// <param name="Types">Event types in order.</param>
/// <param name="Weights">Attention weights α over the shown events (sum to 1).</param>
/// <param name="BuyProbabilities">Calibrated buy probability after each shown event.</param>
public sealed record AttentionExample(long SessionId, bool Purchased, EventType[] Types, float[] Weights, float[] BuyProbabilities);
