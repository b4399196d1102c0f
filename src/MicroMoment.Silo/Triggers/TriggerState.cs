using MicroMoment.Silo.Storage;

namespace MicroMoment.Silo.Triggers;

/// <summary>
/// The per-shopper state the rule gates run over: the last offer, the session's offer count, the dismissal streak
/// (cooldown back-off), the session's purchase, per-rule gate histories and counts, per-campaign counts and
/// experiment exposures. Keyed by names so it survives policy reloads; written into the user grain's state.
/// </summary>
internal sealed class TriggerState
{
    private readonly List<RuleGate> _gates = [];
    private readonly List<CampaignCount> _campaigns = [];
    private readonly List<ExperimentMark> _experiments = [];

    /// <summary>Event time (UTC ticks) of the latest offer (or holdout exposure).</summary>
    public long LastOfferTicks { get; set; }

    /// <summary>True once any offer fired (or a holdout exposure happened).</summary>
    public bool HasOffered { get; set; }

    /// <summary>The session <see cref="OffersInSession"/> counts for.</summary>
    public long SessionStartTicks { get; set; }

    /// <summary>Offers in that session.</summary>
    public int OffersInSession { get; set; }

    /// <summary>Dismissals since the last click or conversion (the cooldown grows with it).</summary>
    public int DismissalStreak { get; set; }

    /// <summary>Start of the latest session that had a purchase (0: none).</summary>
    public long PurchaseSessionStartTicks { get; set; }

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

    /// <summary>Writes the state.</summary>
    public void Save(StateWriter w)
    {
        w.Long(LastOfferTicks);
        w.Bool(HasOffered);
        w.Long(SessionStartTicks);
        w.Int(OffersInSession);
        w.Int(DismissalStreak);
        w.Long(PurchaseSessionStartTicks);
        w.Int(_gates.Count);
        foreach (var g in _gates)
        {
            w.String(g.Rule);
            w.ULong(g.History);
            w.Long(g.AboveSinceTicks);
            w.Long(g.EligibleSinceTicks);
            w.Long(g.SessionStartTicks);
            w.Int(g.SessionCount);
            w.Int(g.Day);
            w.Int(g.DayCount);
        }

        w.Int(_campaigns.Count);
        foreach (var c in _campaigns)
        {
            w.String(c.Campaign);
            w.Int(c.Count);
        }

        w.Int(_experiments.Count);
        foreach (var m in _experiments)
        {
            w.String(m.Experiment);
            w.Long(m.ExposedTicks);
            w.Bool(m.Converted);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote.</summary>
    public static TriggerState Load(ref StateReader r)
    {
        var s = new TriggerState
        {
            LastOfferTicks = r.Long(),
            HasOffered = r.Bool(),
            SessionStartTicks = r.Long(),
            OffersInSession = r.Int(),
            DismissalStreak = r.Int(),
            PurchaseSessionStartTicks = r.Long(),
        };
        int gates = r.Count(44);
        for (int i = 0; i < gates; i++)
        {
            s._gates.Add(new RuleGate(Name(ref r))
            {
                History = r.ULong(), AboveSinceTicks = r.Long(), EligibleSinceTicks = r.Long(), SessionStartTicks = r.Long(),
                SessionCount = r.Int(), Day = r.Int(), DayCount = r.Int(),
            });
        }

        int campaigns = r.Count(8);
        for (int i = 0; i < campaigns; i++) s._campaigns.Add(new CampaignCount(Name(ref r)) { Count = r.Int() });
        int experiments = r.Count(13);
        for (int i = 0; i < experiments; i++) s._experiments.Add(new ExperimentMark(Name(ref r)) { ExposedTicks = r.Long(), Converted = r.Bool() });
        return s;
    }

    private static string Name(ref StateReader r) => r.String() ?? throw new InvalidDataException("Stored trigger state has a null name; expected a rule, campaign or experiment name.");
}
