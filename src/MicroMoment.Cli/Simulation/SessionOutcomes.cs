using System.Runtime.InteropServices;
using MicroMoment.Sessions;

namespace MicroMoment.Cli.Simulation;

/// <summary>
/// Folds a stream of <see cref="ObservedDecision"/>s, in each shopper's event order, into sessions (as the grains opened
/// them) and the policy's outcome per session: fire points, offers, first purchase, suppressions by reason. It keeps,
/// per session, the scores of the events before the first purchase for the threshold sweep.
/// </summary>
internal sealed class SessionOutcomes
{
    private readonly TimeSpan _sessionTimeout;
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);
    private readonly List<SessionRecord> _sessions = [];
    private readonly Dictionary<string, long> _suppressed = new(StringComparer.Ordinal);
    private readonly SweepTrace _trace = new();
    private long _events;
    private long _offers;
    private long _holdoutFires;
    private long _logEndTicks = long.MinValue;

    /// <param name="sessionTimeout">The model's session timeout (a session whose last event is less than this before the
    /// end of the log is counted as censored).</param>
    public SessionOutcomes(TimeSpan sessionTimeout) => _sessionTimeout = sessionTimeout;

    /// <summary>Scored events seen.</summary>
    public long Events => _events;

    /// <summary>The scores of the events before each session's first purchase, for <see cref="ThresholdSweep"/>.</summary>
    public SweepTrace Trace => _trace;

    /// <summary>Adds one scored event and its decision; a shopper's events must come in their order.</summary>
    /// <exception cref="InvalidOperationException">The first event of a shopper does not open a session.</exception>
    public void Observe(in ObservedDecision d)
    {
        _events++;
        long ticks = d.At.Ticks;
        if (ticks > _logEndTicks) _logEndTicks = ticks;
        if (d.NewSession || !_open.TryGetValue(d.UserId, out int index))
        {
            if (!d.NewSession)
                throw new InvalidOperationException($"The first event seen of shopper '{d.UserId}' at {d.At:O} continues a session; expected every shopper's events from the start of the log, in order.");
            index = _sessions.Count;
            _sessions.Add(new SessionRecord { FirstPurchase = -1, FirstTrigger = -1 });
            _open[d.UserId] = index;
        }

        ref var s = ref CollectionsMarshal.AsSpan(_sessions)[index];
        int position = s.Events++;
        s.LastTicks = ticks;
        bool beforePurchase = s.FirstPurchase < 0;
        if (d.FirePoint)
        {
            s.FirePoints++;
            if (s.FirstTrigger < 0)
            {
                s.FirstTrigger = position;
                s.FirstTriggerTicks = ticks;
                s.TriggerBeforePurchase = beforePurchase && !d.Purchase;
            }
        }
        if (d.Fired)
        {
            _offers++;
        }
        else if (d.SuppressedBecause is { } reason)
        {
            if (reason == Silo.TriggerDecision.HoldoutReason) _holdoutFires++;
            _suppressed[reason] = _suppressed.GetValueOrDefault(reason) + 1;
        }

        if (beforePurchase && !d.Purchase) _trace.Add(index, d.Buy, d.Exit, d.Cluster);
        if (d.Purchase && beforePurchase)
        {
            s.FirstPurchase = position;
            s.FirstPurchaseTicks = ticks;
        }
    }

    /// <summary>Which sessions purchased, by session index (for the sweep).</summary>
    public bool[] Purchased()
    {
        var purchased = new bool[_sessions.Count];
        for (int i = 0; i < purchased.Length; i++) purchased[i] = _sessions[i].FirstPurchase >= 0;
        return purchased;
    }

    /// <summary>The policy's outcome over every session seen so far.</summary>
    /// <param name="cost">The cost model the expected value is computed under.</param>
    public PolicyMetrics Summarize(CostModel cost)
    {
        var logEnd = new DateTime(Math.Max(0, _logEndTicks), DateTimeKind.Utc);
        var all = new Tally();
        var closed = new Tally();
        var leadEvents = new List<double>();
        var leadSeconds = new List<double>();
        int censored = 0;
        foreach (ref readonly var s in CollectionsMarshal.AsSpan(_sessions))
        {
            bool isCensored = SessionBoundary.IsCensored(new DateTime(s.LastTicks, DateTimeKind.Utc), logEnd, _sessionTimeout);
            if (isCensored) censored++;
            all.Add(s);
            if (!isCensored) closed.Add(s);
            if (s.FirstPurchase >= 0 && s.TriggerBeforePurchase)
            {
                leadEvents.Add(s.FirstPurchase - s.FirstTrigger);
                leadSeconds.Add(TimeSpan.FromTicks(s.FirstPurchaseTicks - s.FirstTriggerTicks).TotalSeconds);
            }
        }

        return new PolicyMetrics
        {
            Events = _events,
            Sessions = _sessions.Count,
            CensoredSessions = censored,
            PurchasingSessions = all.Purchasing,
            TriggeredSessions = all.Triggered,
            TriggeredPurchasingSessions = all.TriggeredPurchasing,
            CoveredSessions = all.Covered,
            TriggeredNonPurchasingSessions = all.Triggered - all.TriggeredPurchasing,
            NonPurchasingSessions = _sessions.Count - all.Purchasing,
            FirePoints = all.FirePoints,
            Offers = _offers,
            HoldoutFires = _holdoutFires,
            Precision = Rate.Of(all.TriggeredPurchasing, all.Triggered),
            Coverage = Rate.Of(all.Covered, all.Purchasing),
            FalseAlarmRate = Rate.Of(all.Triggered - all.TriggeredPurchasing, _sessions.Count - all.Purchasing),
            ClosedPrecision = Rate.Of(closed.TriggeredPurchasing, closed.Triggered),
            ClosedFalseAlarmRate = Rate.Of(closed.Triggered - closed.TriggeredPurchasing, closed.Sessions - closed.Purchasing),
            LeadTimeEvents = Spread.Of(leadEvents),
            LeadTimeSeconds = Spread.Of(leadSeconds),
            SuppressionsByReason = _suppressed.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            ExpectedValue = cost.ValueOf(all.Covered, all.Triggered - all.Covered),
        };
    }

    private struct SessionRecord
    {
        public long LastTicks;
        public int Events;
        public int FirstPurchase;
        public long FirstPurchaseTicks;
        public int FirstTrigger;
        public long FirstTriggerTicks;
        public bool TriggerBeforePurchase;
        public int FirePoints;
    }

    private sealed class Tally
    {
        public int Sessions;
        public int Purchasing;
        public int Triggered;
        public int TriggeredPurchasing;
        public int Covered;
        public long FirePoints;

        public void Add(in SessionRecord s)
        {
            Sessions++;
            bool purchased = s.FirstPurchase >= 0;
            bool triggered = s.FirstTrigger >= 0;
            if (purchased) Purchasing++;
            if (!triggered) return;
            Triggered++;
            FirePoints += s.FirePoints;
            if (purchased) TriggeredPurchasing++;
            if (purchased && s.TriggerBeforePurchase) Covered++;
        }
    }
}
