namespace MicroMoment.Sessions;

/// <summary>
/// The one session-boundary rule shared by training (<see cref="Sessionizer"/>) and serving: a user's next event
/// starts a new session when it comes strictly more than the inactivity timeout after the previous one.
/// A gap of exactly the timeout continues the session. A negative gap (an event older than the previous one,
/// e.g. a late arrival in serving) never starts a session: it continues the current one. The batch sessionizer
/// sorts each user's events by time first, so it never sees negative gaps.
/// </summary>
public static class SessionBoundary
{
    /// <summary>True when an event at <paramref name="current"/> starts a new session after one at <paramref name="previous"/>.</summary>
    /// <param name="previous">The user's previous event time (UTC).</param>
    /// <param name="current">The new event time (UTC).</param>
    /// <param name="timeout">The inactivity timeout; must be positive.</param>
    public static bool IsNewSession(DateTime previous, DateTime current, TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "The inactivity timeout must be positive.");
        }

        return current.Ticks - previous.Ticks > timeout.Ticks;
    }

    /// <summary>Same rule on raw ticks, for hot loops that already validated the timeout.</summary>
    internal static bool IsNewSession(long previousTicks, long currentTicks, long timeoutTicks) =>
        currentTicks - previousTicks > timeoutTicks;

    /// <summary>
    /// True when a session whose last event is at <paramref name="sessionEnd"/> is censored by a log ending at
    /// <paramref name="logEnd"/>: the log stops less than one timeout later, so a continuing event could still come.
    /// </summary>
    public static bool IsCensored(DateTime sessionEnd, DateTime logEnd, TimeSpan timeout) =>
        logEnd.Ticks - sessionEnd.Ticks < timeout.Ticks;
}
