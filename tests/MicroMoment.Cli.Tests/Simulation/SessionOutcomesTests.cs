using MicroMoment.Cli.Simulation;

namespace MicroMoment.Cli.Tests.Simulation;

public sealed class SessionOutcomesTests
{
    private static readonly DateTime T0 = new(2019, 10, 1, 10, 0, 0, DateTimeKind.Utc);

    private static ObservedDecision E(string user, double minutes, bool newSession, bool purchase = false, bool fired = false, string? reason = "below-threshold") =>
        new(user, T0.AddMinutes(minutes), purchase, newSession, 0.5f, 0.1f, 0, fired, fired ? null : reason);

    [Fact]
    public void PrecisionCoverageFalseAlarmsAndLeadTimeCountSessionsAsTheGrainsOpenedThem()
    {
        var outcomes = new SessionOutcomes(TimeSpan.FromMinutes(30));
        // a, session 1: fires on its second event, buys two events (3 minutes) later: covered.
        outcomes.Observe(E("a", 0, newSession: true));
        outcomes.Observe(E("a", 1, newSession: false, fired: true));
        outcomes.Observe(E("a", 2, newSession: false, reason: "session-cap"));
        outcomes.Observe(E("b", 2, newSession: true));
        outcomes.Observe(E("a", 4, newSession: false, purchase: true, reason: "after-purchase"));
        // b buys without a trigger: purchasing, not covered.
        outcomes.Observe(E("b", 5, newSession: false, purchase: true));
        // c is in the holdout: a fire point, not an offer; no purchase.
        outcomes.Observe(E("c", 6, newSession: true, reason: "holdout"));
        // a, session 2 (the grain opened a new one): an offer, no purchase, cut off by the end of the log.
        outcomes.Observe(E("a", 60, newSession: true, fired: true));
        outcomes.Observe(E("a", 61, newSession: false, reason: "cooldown"));

        var m = outcomes.Summarize(new CostModel(30, 1, 0.1, 0.1));

        Assert.Equal(9, m.Events);
        Assert.Equal(4, m.Sessions);
        Assert.Equal(1, m.CensoredSessions);
        Assert.Equal(2, m.PurchasingSessions);
        Assert.Equal(3, m.TriggeredSessions);
        Assert.Equal(new Rate(1, 3), m.Precision);
        Assert.Equal(new Rate(1, 2), m.Coverage);
        Assert.Equal(new Rate(2, 2), m.FalseAlarmRate);
        Assert.Equal(new Rate(1, 2), m.ClosedPrecision);
        Assert.Equal(new Rate(1, 1), m.ClosedFalseAlarmRate);
        Assert.Equal(3, m.FirePoints);
        Assert.Equal(2, m.Offers);
        Assert.Equal(1, m.HoldoutFires);
        Assert.Equal(750, m.TriggersPer1000Sessions);
        Assert.Equal(500, m.OffersPer1000Sessions);
        Assert.Equal(new Spread(1, 2, 2, 2), m.LeadTimeEvents);
        Assert.Equal(new Spread(1, 180, 180, 180), m.LeadTimeSeconds);
        Assert.Equal(new Dictionary<string, long> { ["below-threshold"] = 3, ["after-purchase"] = 1, ["cooldown"] = 1, ["holdout"] = 1, ["session-cap"] = 1 }.OrderBy(p => p.Key),
            m.SuppressionsByReason.OrderBy(p => p.Key));
        // One covered buyer (30 × 0.1 / 1.1 − 1) and two interrupted non-buyers (−0.1 each).
        Assert.Equal((3.0 / 1.1) - 1 - 0.2, m.ExpectedValue, 1e-12);
        // The sweep sees only the events before each session's first purchase: a's 3, b's 1, c's 1, a's second 2.
        Assert.Equal(7, outcomes.Trace.Count);
        Assert.Equal([true, true, false, false], outcomes.Purchased());
    }

    [Fact]
    public void AShopperWhoseFirstEventContinuesASessionIsRefusedNamingTheShopper()
    {
        var outcomes = new SessionOutcomes(TimeSpan.FromMinutes(30));
        var ex = Assert.Throws<InvalidOperationException>(() => outcomes.Observe(E("late", 0, newSession: false)));
        Assert.Contains("'late'", ex.Message);
    }

    [Fact]
    public void RatesCarryWilsonIntervalsAndSpreadsInterpolateQuartiles()
    {
        var rate = new Rate(10, 100);
        Assert.Equal(0.1, rate.Value);
        Assert.Equal(0.0552, rate.Low, 3);
        Assert.Equal(0.1744, rate.High, 3);
        Assert.True(double.IsNaN(new Rate(0, 0).Value));
        Assert.Equal("n/a", new Rate(0, 0).ToString());
        Assert.Equal(new Spread(4, 1.75, 2.5, 3.25), Spread.Of([4, 1, 3, 2]));
        Assert.Equal("n/a", Spread.Of([]).Describe());
    }
}
