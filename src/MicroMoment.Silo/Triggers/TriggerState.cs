namespace MicroMoment.Silo.Triggers;

/// <summary>
/// The per-shopper state the rule gates run over: the last offer, the session's offer count, the dismissal streak
/// (cooldown back-off), the session's purchase, per-rule gate histories and counts, per-campaign counts and
/// experiment exposures. Keyed by names so it survives policy reloads; written into the user grain's state.
/// </summary>
[GenerateSerializer]
[Alias("mm.TriggerState")]
internal sealed class TriggerState
{
    [Id(6)]
    private readonly List<RuleGate> _gates = [];
    [Id(7)]
    private readonly List<CampaignCount> _campaigns = [];
    [Id(8)]
    private readonly List<ExperimentMark> _experiments = [];

    /// <summary>Event time (UTC ticks) of the latest offer (or holdout exposure).</summary>
    [Id(0)]
    public long LastOfferTicks { get; set; }

    /// <summary>True once any offer fired (or a holdout exposure happened).</summary>
    [Id(1)]
    public bool HasOffered { get; set; }

    /// <summary>The session <see cref="OffersInSession"/> counts for.</summary>
    [Id(2)]
    public long SessionStartTicks { get; set; }

    /// <summary>Offers in that session.</summary>
    [Id(3)]
    public int OffersInSession { get; set; }

    /// <summary>Dismissals since the last click or conversion (the cooldown grows with it).</summary>
    [Id(4)]
    public int DismissalStreak { get; set; }

    /// <summary>Start of the latest session that had a purchase (0: none).</summary>
    [Id(5)]
    public long PurchaseSessionStartTicks { get; set; }

    /// <summary>True when the state holds nothing (a shopper whose scores never reached a threshold).</summary>
    public bool IsEmpty => _gates.Count == 0 && _campaigns.Count == 0 && _experiments.Count == 0 && !HasOffered && PurchaseSessionStartTicks == 0;

    /// <summary>
    /// Applies <paramref name="events"/> events that were decided without the evaluator because no rule reached its
    /// threshold: each would have shifted a zero into every gate's history and cleared its above-since and
    /// eligible-since times, and nothing else.
    /// </summary>
    public void SkipBelowThreshold(int events)
    {
        if (events <= 0) return;
        foreach (var g in _gates)
        {
            g.History = events >= 64 ? 0 : g.History << events;
            g.AboveSinceTicks = 0;
            g.EligibleSinceTicks = 0;
        }
    }

    /// <summary>The gate state of rule <paramref name="rule"/>, or null.</summary>
    public RuleGate? Gate(string rule)
    {
        foreach (var g in _gates)
        {
            if (string.Equals(g.Rule, rule, StringComparison.Ordinal)) return g;
        }

        return null;
    }

    /// <summary>The gate state of <paramref name="rule"/>, created when missing.</summary>
    public RuleGate GateOrAdd(string rule)
    {
        if (Gate(rule) is { } g) return g;
        g = new RuleGate(rule);
        _gates.Add(g);
        return g;
    }

    /// <summary>Offers so far from <paramref name="campaign"/>.</summary>
    public int CampaignOffers(string campaign)
    {
        foreach (var c in _campaigns)
        {
            if (string.Equals(c.Campaign, campaign, StringComparison.Ordinal)) return c.Count;
        }

        return 0;
    }

    /// <summary>Counts one offer of <paramref name="campaign"/>.</summary>
    public void CountCampaign(string campaign)
    {
        foreach (var c in _campaigns)
        {
            if (string.Equals(c.Campaign, campaign, StringComparison.Ordinal))
            {
                c.Count++;
                return;
            }
        }

        _campaigns.Add(new CampaignCount(campaign) { Count = 1 });
    }

    /// <summary>The exposure mark of <paramref name="experiment"/>, or null when never exposed.</summary>
    public ExperimentMark? Mark(string experiment)
    {
        foreach (var m in _experiments)
        {
            if (string.Equals(m.Experiment, experiment, StringComparison.Ordinal)) return m;
        }

        return null;
    }

    /// <summary>Records a fire point of <paramref name="experiment"/>; true when it is the shopper's first.</summary>
    public bool Expose(string experiment, long ticks)
    {
        var mark = Mark(experiment);
        bool first = mark is null;
        if (first)
        {
            mark = new ExperimentMark(experiment);
            _experiments.Add(mark);
        }

        mark!.ExposedTicks = ticks;
        return first;
    }
}
