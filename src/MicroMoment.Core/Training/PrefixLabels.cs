using MicroMoment.Sessions;

namespace MicroMoment.Training;

/// <summary>The labels of a session prefix; NaN marks a prefix that is not an example of that head.</summary>
public static class PrefixLabels
{
    /// <summary>Buy label after event <paramref name="t"/>: 1 when the first purchase comes later, 0 when the
    /// session never purchases, NaN at and after the first purchase (and for cut-off sessions under
    /// <see cref="CensoringPolicy.DropUnknown"/>).</summary>
    public static float Buy(Session session, int t, CensoringPolicy censoring)
    {
        var first = session.FirstPurchaseIndex;
        if (first >= 0) return t < first ? 1f : float.NaN;
        return session.Censored && censoring == CensoringPolicy.DropUnknown ? float.NaN : 0f;
    }

    /// <summary>Exit label after event <paramref name="t"/>: 1 for the session's last event, 0 before it, NaN
    /// for the last event of a session cut off by the end of the log.</summary>
    public static float Exit(Session session, int t) =>
        t < session.Events.Length - 1 ? 0f : session.Censored ? float.NaN : 1f;
}
