namespace MicroMoment.Evaluation;

/// <summary>The model's purchase probability after each event of one session, for early-detection evaluation.</summary>
/// <param name="SessionId">The session's id.</param>
/// <param name="Probabilities">Probability after event i (prefix of length i + 1).</param>
/// <param name="Times">UTC time of event i; same length as <paramref name="Probabilities"/>.</param>
/// <param name="FirstPurchaseIndex">Index of the session's first purchase event, or −1 when the session never purchases.</param>
public sealed record SessionTrace(long SessionId, float[] Probabilities, DateTime[] Times, int FirstPurchaseIndex)
{
    /// <summary>True when the session contains a purchase.</summary>
    public bool Purchases => FirstPurchaseIndex >= 0;
}
