namespace MicroMoment.Silo.Triggers;

/// <summary>Alert limits of a policy (defaults from the trigger practice: latency under 500 ms, false alarms under 5%).</summary>
/// <param name="MaxOffersPerSession">Alert when offers per closed session with an offer (mean, sliding window) exceed this.</param>
/// <param name="MaxFalseAlarmRate">Alert when the share of closed sessions without a purchase that received an offer (sliding window) exceeds this.</param>
/// <param name="MaxTriggerLatency">Alert when the 99th percentile of event-to-decision latency exceeds this.</param>
/// <param name="MinOffers">The rates are judged only when the window's closed sessions hold this many offers.</param>
public sealed record MonitoringLimits(double MaxOffersPerSession, double MaxFalseAlarmRate, TimeSpan MaxTriggerLatency, int MinOffers)
{
    /// <summary>The defaults: 1.5 offers per session, 5% false alarms, 500 ms, judged after 20 offers.</summary>
    public static MonitoringLimits Default { get; } = new(1.5, 0.05, TimeSpan.FromMilliseconds(500), 20);
}
