using MicroMoment.Silo.Monitoring;
using MicroMoment.Events;
using MicroMoment.Silo.Triggers;
using Microsoft.Extensions.Time.Testing;
using static MicroMoment.Silo.Tests.SiloTestData;

namespace MicroMoment.Silo.Tests;

public class AlertTests
{
    private static async Task<(EmbeddedSilo Silo, FakeTimeProvider Clock, TempDirectory Dir)> StartAsync(string monitoring)
    {
        var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "policy.yaml");
        File.WriteAllText(path, PolicyReloadTests.EveryEvent("m1", "monitoring: " + monitoring));
        var clock = new FakeTimeProvider(SiloNoon);
        var silo = await EmbeddedSilo.StartAsync(BundledModel, new SiloOptions { PolicyPath = path }, clock);
        return (silo, clock, dir);
    }

    private static AlertStatus Alert(EmbeddedSilo silo, string name) => silo.GetStatistics().Alerts.Single(a => a.Name == name);

    [Fact]
    public async Task OffersPerSessionAlertFiresOnAClosedSessionWithTooManyOffersAndClearsWhenTheWindowMovesOn()
    {
        var (silo, clock, dir) = await StartAsync("{ maxOffersPerSession: 1.5, minOffers: 0, maxFalseAlarmRate: 1 }");
        await using var _ = silo;
        using var __ = dir;
        Assert.False(Alert(silo, AlertMonitor.OffersPerSession).Judged); // nothing closed yet

        // Three offers in one session (every event fires), then an event 40 minutes later closes it.
        await silo.IngestAsync([Event("ann", 0), Event("ann", 1), Event("ann", 2)]);
        Assert.False(Alert(silo, AlertMonitor.OffersPerSession).Judged);
        await silo.IngestAsync([Event("ann", 42)]);
        var firing = Alert(silo, AlertMonitor.OffersPerSession);
        Assert.True(firing.Firing);
        Assert.Equal(3.0, firing.Observed);
        Assert.Equal(1.5, firing.Limit);
        Assert.Contains("3 offers in 1 closed sessions", firing.Basis);

        // A session with one offer brings the mean to 2 (still above); after the window nothing closed is left.
        await silo.IngestAsync([Event("bob", 0), Event("bob", 45)]);
        Assert.Equal(2.0, Alert(silo, AlertMonitor.OffersPerSession).Observed);
        clock.Advance(AlertMonitor.Window + TimeSpan.FromSeconds(1));
        var cleared = Alert(silo, AlertMonitor.OffersPerSession);
        Assert.False(cleared.Firing);
        Assert.False(cleared.Judged);
        Assert.Null(cleared.Observed);
    }

    [Fact]
    public async Task FalseAlarmAlertCountsOfferedSessionsWithoutPurchaseOverSessionsWithoutPurchase()
    {
        var (silo, clock, dir) = await StartAsync("{ maxFalseAlarmRate: 0.4, minOffers: 0 }");
        await using var _ = silo;
        using var __ = dir;

        // Two sessions end without a purchase, both offered: 2 of 2 → fires. The bought session is not in the denominator.
        await silo.IngestAsync([Event("a", 0), Event("b", 0), Event("c", 0), Event("c", 1, EventType.Purchase)]);
        await silo.RunMaintenanceAsync(); // nobody idle yet
        Assert.False(Alert(silo, AlertMonitor.FalseAlarmRate).Judged);
        clock.Advance(TimeSpan.FromMinutes(31)); // past the idle timeout (the model's session timeout): the grains deactivate, closing their sessions
        await silo.RunMaintenanceAsync();
        var firing = Alert(silo, AlertMonitor.FalseAlarmRate);
        Assert.True(firing.Firing);
        Assert.Equal(1.0, firing.Observed);
        Assert.Contains("2 of 2 closed sessions without a purchase", firing.Basis);
        Assert.Equal(3, silo.GetStatistics().Deactivations);

        clock.Advance(AlertMonitor.Window + TimeSpan.FromSeconds(1));
        Assert.False(Alert(silo, AlertMonitor.FalseAlarmRate).Firing);
    }

    [Fact]
    public async Task RatesAreNotJudgedBelowMinOffers()
    {
        var (silo, clock, dir) = await StartAsync("{ maxOffersPerSession: 1, maxFalseAlarmRate: 0, minOffers: 5 }");
        await using var _ = silo;
        using var __ = dir;
        await silo.IngestAsync([Event("a", 0), Event("a", 1), Event("a", 50)]);
        var alert = Alert(silo, AlertMonitor.OffersPerSession);
        Assert.Equal(2.0, alert.Observed);
        Assert.False(alert.Judged);
        Assert.False(alert.Firing);
        Assert.False(Alert(silo, AlertMonitor.FalseAlarmRate).Firing);
    }

    [Fact]
    public async Task TriggerLatencyAlertFiresAboveTheLimitAndClearsWhenTheWindowHasNoEvents()
    {
        // 1 µs: every event-to-decision latency is above it (the first bucket alone reaches 50 µs).
        var (silo, clock, dir) = await StartAsync("{ maxTriggerLatency: 0.001ms }");
        await using var _ = silo;
        using var __ = dir;
        Assert.False(Alert(silo, AlertMonitor.TriggerLatency).Judged);
        await silo.IngestAsync([Event("a", 0)]);
        var firing = Alert(silo, AlertMonitor.TriggerLatency);
        Assert.True(firing.Firing);
        Assert.True(firing.Observed > 1e-6);
        Assert.Equal(1e-6, firing.Limit, 12);
        clock.Advance(AlertMonitor.Window + TimeSpan.FromSeconds(1));
        var cleared = Alert(silo, AlertMonitor.TriggerLatency);
        Assert.False(cleared.Firing);
        Assert.Null(cleared.Observed);
    }

    [Fact]
    public void JudgeTakesP99FromTheWindowsHistogramAndComparesWithTheLimit()
    {
        var latency = AlertMonitor.NewHistogram();
        latency.RecordValueWithCount(40_000, 99); // 40 ms
        latency.RecordValueWithCount(400_000, 1); // 400 ms
        var sample = new AlertMonitor.Sample(0, 0, 0, 0, 0, 0, latency);
        var limits = MonitoringLimits.Default with { MaxTriggerLatency = TimeSpan.FromMilliseconds(50) };
        var alert = AlertMonitor.Judge(sample, null, limits).Single(a => a.Name == AlertMonitor.TriggerLatency);
        Assert.Equal(0.04, alert.Observed!.Value, 0.04 * 0.01); // rank 99 of 100 is a 40 ms event (2 significant digits)
        Assert.False(alert.Firing);
        latency.RecordValue(400_000);
        alert = AlertMonitor.Judge(sample with { Latency = latency }, null, limits).Single(a => a.Name == AlertMonitor.TriggerLatency);
        Assert.Equal(0.4, alert.Observed!.Value, 0.4 * 0.01);
        Assert.True(alert.Firing);
    }

    [Fact]
    public void TheWindowHoldsTheLatenciesRecordedAfterItsBaselineOnly()
    {
        var monitor = new AlertMonitor();
        var limits = MonitoringLimits.Default with { MaxTriggerLatency = TimeSpan.FromMilliseconds(50) };
        AlertStatus Evaluate(long ticks, long microseconds, long count)
        {
            var interval = AlertMonitor.NewHistogram();
            if (count > 0) interval.RecordValueWithCount(microseconds, count);
            return monitor.Evaluate(new AlertMonitor.Sample(ticks, 0, 0, 0, 0, 0, interval), limits).Single(a => a.Name == AlertMonitor.TriggerLatency);
        }

        var minute = TimeSpan.FromMinutes(1).Ticks;
        Assert.True(Evaluate(0, 500_000, 10).Firing); // ten slow events (500 ms) up to the first reading
        Assert.True(Evaluate(1 * minute, 1_000, 500).Firing); // 500 fast ones (1 ms): 10 of 510 slow, the p99 is slow
        Assert.True(Evaluate(10 * minute, 1_000, 5).Firing); // all still in the window
        var later = Evaluate(AlertMonitor.Window.Ticks + minute / 2, 1_000, 0); // the first reading is the baseline: its slow events left
        Assert.False(later.Firing);
        Assert.Contains("p99 of 505 ", later.Basis, StringComparison.Ordinal);
        Assert.Equal(0.001, later.Observed!.Value, 0.001 * 0.01);
    }
}
