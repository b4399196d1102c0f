using System.Globalization;

namespace MicroMoment.Sessions;

/// <summary>
/// Sessions kept for a job together with what the whole log held. When the log has more sessions than
/// <see cref="MaxSessions"/>, <see cref="Sessions"/> is the deterministic sample chosen by <see cref="SessionSampler"/>;
/// otherwise it is every session.
/// </summary>
/// <param name="Sessions">The kept sessions, in order of session start.</param>
/// <param name="Population">Statistics of every session of the log, before sampling.</param>
/// <param name="MaxSessions">The bound that was applied; null when unbounded.</param>
public sealed record SessionSample(IReadOnlyList<Session> Sessions, SessionStatistics Population, int? MaxSessions)
{
    /// <summary>True when some sessions of the log were left out.</summary>
    public bool IsSampled => Sessions.Count < Population.Sessions;

    /// <summary>Number of events in the kept sessions.</summary>
    public long Events => Sessions.Sum(s => (long)s.Events.Length);

    /// <summary>One sentence saying how many sessions (and events) were kept out of how many, and how.</summary>
    public string Describe()
    {
        if (!IsSampled)
        {
            return MaxSessions is int max
                ? string.Create(CultureInfo.InvariantCulture, $"Using all {Population.Sessions:N0} sessions ({Population.Events:N0} events); the bound of {max:N0} sessions was not reached.")
                : string.Create(CultureInfo.InvariantCulture, $"Using all {Population.Sessions:N0} sessions ({Population.Events:N0} events); no session bound.");
        }

        long events = Events;
        return string.Create(CultureInfo.InvariantCulture,
            $"Sampled {Sessions.Count:N0} of {Population.Sessions:N0} sessions ({Sessions.Count / (double)Population.Sessions:P1}; {events:N0} of {Population.Events:N0} events): whole sessions with {SessionSampler.Method}, bound {MaxSessions:N0} sessions.");
    }
}
