using MicroMoment.Silo.Triggers;

namespace MicroMoment.Silo.Tests.Triggers;

public class ExperimentReporterTests
{
    private static Policy WithExperiment() => PolicyLoader.Parse(
        """
        version: r1
        rules:
          - { name: a, intent: buy, offer: popup, thresholds: { default: 0.5 } }
        experiments:
          - { name: e1, holdout: 0.1, variants: [ { name: on, weight: 3 }, { name: off, weight: 1 } ] }
        """, "test", new PolicyBinding(["c0"], 0.5f, 0.5f));

    [Fact]
    public void ReportGivesCountsWilsonIntervalsAndMsprtLiftAgainstTheHoldout()
    {
        var ledger = new AttributionLedger();
        ledger.Count("e1", "on", ExperimentMetric.Exposures, 100);
        ledger.Count("e1", "on", ExperimentMetric.Conversions, 30);
        ledger.Count("e1", "on", ExperimentMetric.Proposals, 120);
        ledger.Count("e1", "on", ExperimentMetric.Shows, 90);
        ledger.Count("e1", "on", ExperimentMetric.Clicks, 40);
        ledger.Count("e1", "on", ExperimentMetric.Dismissals, 20);
        ledger.Count("e1", "holdout", ExperimentMetric.Exposures, 100);
        ledger.Count("e1", "holdout", ExperimentMetric.Conversions, 20);

        var report = ExperimentReporter.Build(WithExperiment(), ledger, DateTimeOffset.UnixEpoch);
        var e = Assert.Single(report.Experiments);
        Assert.True(e.Active);
        Assert.Equal(0.1, e.Holdout);
        Assert.Equal(["holdout", "on", "off"], e.Variants.Select(v => v.Name));

        var holdout = e.Variants[0];
        Assert.True(holdout.IsHoldout);
        Assert.Null(holdout.Lift);
        Assert.Equal(0.2, holdout.ConversionRate);

        var on = e.Variants[1];
        Assert.Equal((100L, 120L, 90L, 40L, 20L, 30L), (on.Exposures, on.Proposals, on.Shows, on.Clicks, on.Dismissals, on.Conversions));
        Assert.Equal(3, on.Weight);
        Assert.Equal(0.3, on.ConversionRate);
        var (low, high) = ExperimentStatistics.Wilson(30, 100);
        Assert.Equal((low, high), (on.RateLow, on.RateHigh));
        Assert.Equal(0.2189, on.RateLow, 4); // Wilson 95% of 30/100 by hand: 0.2189 .. 0.3958
        Assert.Equal(0.3958, on.RateHigh, 4);
        var (diff, p, lo, hi) = ExperimentStatistics.Msprt(30, 100, 20, 100, 1e-4, 0.05);
        Assert.Equal(0.1, on.Lift!.Difference!.Value, 12);
        Assert.Equal(diff, on.Lift.Difference!.Value, 12);
        Assert.Equal((p, lo, hi), (on.Lift.PValue, on.Lift.Low!.Value, on.Lift.High!.Value));

        var off = e.Variants[2];
        Assert.Equal(0, off.Exposures);
        Assert.Null(off.ConversionRate);
        Assert.Equal((0.0, 1.0), (off.RateLow, off.RateHigh));
        Assert.Null(off.Lift!.Difference);
        Assert.Equal(1, off.Lift.PValue);
    }

    [Theory]
    [InlineData(100, 30, 100, 20, false)] // 30 / 70 against 20 / 80: enough of both outcomes in both arms
    [InlineData(100, 30, 100, 9, true)]   // the holdout has 9 conversions
    [InlineData(100, 9, 100, 20, true)]   // the variant has 9 conversions
    [InlineData(100, 91, 100, 20, true)]  // the variant has 9 non-conversions
    [InlineData(20, 10, 20, 10, false)]   // exactly 10 of each in both arms
    [InlineData(4, 1, 3, 0, true)]
    public void LiftIsFlaggedSampleTooSmallUntilBothArmsHaveEnoughConversionsAndNonConversions(long exposures, long conversions, long holdoutExposures, long holdoutConversions, bool tooSmall)
    {
        var ledger = new AttributionLedger();
        ledger.Count("e1", "on", ExperimentMetric.Exposures, exposures);
        ledger.Count("e1", "on", ExperimentMetric.Conversions, conversions);
        ledger.Count("e1", "holdout", ExperimentMetric.Exposures, holdoutExposures);
        ledger.Count("e1", "holdout", ExperimentMetric.Conversions, holdoutConversions);
        var report = ExperimentReporter.Build(WithExperiment(), ledger, DateTimeOffset.UnixEpoch);
        var lift = report.Find("e1")!.Variants.Single(v => v.Name == "on").Lift!;
        Assert.Equal(tooSmall, lift.SampleTooSmall);
        Assert.Equal(ExperimentReporter.MinimumOutcomes, report.MinimumOutcomes);
        Assert.InRange(lift.Low!.Value, -1, 1);
        Assert.InRange(lift.High!.Value, -1, 1);
        // The variant without exposures has nothing to judge.
        Assert.True(report.Find("e1")!.Variants.Single(v => v.Name == "off").Lift!.SampleTooSmall);
    }

    [Fact]
    public void ExperimentsKnownOnlyFromTheirCountersAreReportedInactive()
    {
        var ledger = new AttributionLedger();
        ledger.Count("retired", "b", ExperimentMetric.Exposures, 5);
        var report = ExperimentReporter.Build(WithExperiment(), ledger, DateTimeOffset.UnixEpoch);
        Assert.Equal(["e1", "retired"], report.Experiments.Select(x => x.Name));
        var retired = report.Find("retired")!;
        Assert.False(retired.Active);
        Assert.Null(retired.Holdout);
        Assert.Equal(["holdout", "b"], retired.Variants.Select(v => v.Name));
        Assert.Null(report.Find("nope"));
        Assert.Equal("r1", report.PolicyVersion);
    }

    [Fact]
    public void LedgerSnapshotRestoresIntoAnEqualLedgerAndSkipsUnknownMetrics()
    {
        var ledger = new AttributionLedger();
        ledger.Count("e1", "on", ExperimentMetric.Exposures, 7);
        ledger.Count("e1", "holdout", ExperimentMetric.Conversions, 2);
        long changes = ledger.Changes;
        Assert.Equal(2, changes);

        var copy = new AttributionLedger();
        var unknown = copy.Restore([.. ledger.Snapshot(), ("e1", "on", "Teleports", 3)]);
        Assert.Equal(["Teleports"], unknown);
        Assert.Equal(7, copy.Get("e1", "on", ExperimentMetric.Exposures));
        Assert.Equal(2, copy.Get("e1", "holdout", ExperimentMetric.Conversions));
        Assert.Equal(ledger.Snapshot(), copy.Snapshot());
        Assert.Equal(0, copy.Changes);
    }
}
