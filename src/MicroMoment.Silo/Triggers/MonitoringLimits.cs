namespace MicroMoment.Silo.Triggers;

/// <summary>Alert limits of a policy (defaults from the trigger practice: latency under 500 ms, false alarms under 5%).</summary>
/// <param name="MaxOffersPerSession">Alert when offers per session with an offer (mean) exceed this.</param>
/// <param name="MaxFalseAlarmRate">Alert when dismissed plus expired offers, over resolved offers, exceed this.</param>
/// <param name="MaxTriggerLatency">Alert when the 99th percentile of event-to-decision latency exceeds this.</param>
/// <param name="MinOffers">Rates are judged only after this many offers.</param>
public sealed record MonitoringLimits(double MaxOffersPerSession, double MaxFalseAlarmRate, TimeSpan MaxTriggerLatency, int MinOffers)
{
    /// <summary>The defaults: 1.5 offers per session, 5% false alarms, 500 ms, judged after 20 offers.</summary>
    public static MonitoringLimits Default { get; } = new(1.5, 0.05, TimeSpan.FromMilliseconds(500), 20);
}
