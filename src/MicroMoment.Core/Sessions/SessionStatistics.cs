using System.Globalization;

namespace MicroMoment.Sessions;

/// <summary>
/// Counts and length distribution of a set of sessions: what a log holds before any sampling, or what a sample kept.
/// Lengths are in events; percentiles are nearest-rank over sessions.
/// </summary>
/// <param name="Sessions">Number of sessions.</param>
/// <param name="Events">Number of events in them.</param>
/// <param name="Users">Distinct (tenant, user) pairs.</param>
/// <param name="WithPurchase">Sessions containing at least one purchase.</param>
/// <param name="Censored">Sessions cut off by the end of the log (their outcome is unknown).</param>
/// <param name="MedianLength">Median events per session.</param>
/// <param name="P90Length">90th percentile of events per session.</param>
/// <param name="P99Length">99th percentile of events per session.</param>
/// <param name="MaxLength">Longest session, in events.</param>
/// <param name="FirstEvent">Earliest event time (UTC); <see cref="DateTime.MinValue"/> when there are no sessions.</param>
/// <param name="LastEvent">Latest event time (UTC); <see cref="DateTime.MinValue"/> when there are no sessions.</param>
public sealed record SessionStatistics(
    long Sessions,
    long Events,
    long Users,
    long WithPurchase,
    long Censored,
    int MedianLength,
    int P90Length,
    int P99Length,
    int MaxLength,
    DateTime FirstEvent,
    DateTime LastEvent)
{
    /// <summary>Statistics of no sessions.</summary>
    public static SessionStatistics Empty { get; } = new(0, 0, 0, 0, 0, 0, 0, 0, 0, DateTime.MinValue, DateTime.MinValue);

    /// <summary>Mean events per session (NaN when there are none).</summary>
    public double MeanLength => Sessions == 0 ? double.NaN : Events / (double)Sessions;

    /// <summary>Computes the statistics of materialized sessions.</summary>
    public static SessionStatistics Of(IReadOnlyList<Session> sessions)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var builder = new Builder();
        var users = new HashSet<(string Tenant, string User)>();
        foreach (var s in sessions)
        {
            builder.Add(s.Events.Length, s.HasPurchase, s.Censored, s.Start.Ticks, s.End.Ticks);
            users.Add((s.Tenant, s.UserId));
        }

        return builder.Build(users.Count);
    }

    /// <summary>A multi-line, human-readable summary.</summary>
    public string Describe()
    {
        if (Sessions == 0)
        {
            return "no sessions";
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"""
            sessions:           {Sessions:N0} ({Users:N0} users, {Sessions / (double)Math.Max(1, Users):0.00} sessions per user)
            events:             {Events:N0} ({MeanLength:0.00} per session; median {MedianLength}, p90 {P90Length}, p99 {P99Length}, max {MaxLength:N0})
            with a purchase:    {WithPurchase:N0} ({WithPurchase / (double)Sessions:P2})
            cut off by log end: {Censored:N0} ({Censored / (double)Sessions:P2})
            time range:         {FirstEvent:yyyy-MM-dd HH:mm:ss} .. {LastEvent:yyyy-MM-dd HH:mm:ss} UTC
            """);
    }

    /// <summary>Accumulates per-session facts without holding the sessions; lengths go into a histogram.</summary>
    internal sealed class Builder
    {
        private readonly Dictionary<int, long> _lengths = [];
        private long _sessions;
        private long _events;
        private long _withPurchase;
        private long _censored;
        private long _first = long.MaxValue;
        private long _last = long.MinValue;

        public void Add(int length, bool hasPurchase, bool censored, long startTicks, long endTicks)
        {
            _sessions++;
            _events += length;
            _lengths[length] = _lengths.GetValueOrDefault(length) + 1;
            if (hasPurchase)
            {
                _withPurchase++;
            }

            if (censored)
            {
                _censored++;
            }

            _first = Math.Min(_first, startTicks);
            _last = Math.Max(_last, endTicks);
        }

        public SessionStatistics Build(long users)
        {
            if (_sessions == 0)
            {
                return Empty;
            }

            var lengths = _lengths.Keys.Order().ToArray();
            return new SessionStatistics(
                _sessions, _events, users, _withPurchase, _censored,
                Percentile(lengths, 0.50), Percentile(lengths, 0.90), Percentile(lengths, 0.99), lengths[^1],
                new DateTime(_first, DateTimeKind.Utc), new DateTime(_last, DateTimeKind.Utc));
        }

        /// <summary>Nearest-rank percentile: the smallest length with at least q of the sessions at or below it.</summary>
        private int Percentile(int[] sortedLengths, double q)
        {
            long rank = Math.Max(1, (long)Math.Ceiling(q * _sessions));
            long seen = 0;
            foreach (int length in sortedLengths)
            {
                seen += _lengths[length];
                if (seen >= rank)
                {
                    return length;
                }
            }

            return sortedLengths[^1];
        }
    }
}
