using System.Diagnostics.Metrics;
using MicroMoment.Silo.Grains;

namespace MicroMoment.Silo.Monitoring;

/// <summary>
/// The trigger decisions' instruments (meter <see cref="SiloMeters.Triggers"/>): offers fired, expired and attributed,
/// suppressions by reason, the running policy and its reloads, and the monitoring alerts, all observed at collection.
/// </summary>
internal sealed class TriggerInstruments
{
    private static readonly KeyValuePair<string, object?>[] ReasonTags = [.. TriggerPolicy.AllReasonCodes.Select(r => new KeyValuePair<string, object?>("reason", r))];

    /// <summary>Creates the instruments on <paramref name="meter"/>.</summary>
    /// <param name="meter">The meter.</param>
    /// <param name="counters">The silo's counters.</param>
    /// <param name="policy">The running policy's status.</param>
    /// <param name="alerts">The alerts judged now (null: the silo judges none).</param>
    public TriggerInstruments(Meter meter, SiloCounters counters, Func<PolicyStatus> policy, Func<IReadOnlyList<AlertStatus>> alerts)
    {
        Meter = meter;
        var c = counters;
        meter.CreateObservableCounter("micromoment.trigger.offers.fired", () => Volatile.Read(ref c.OffersFired), "{offer}", "Offers fired by trigger grains.");
        meter.CreateObservableCounter("micromoment.trigger.offers.expired", () => Volatile.Read(ref c.OffersExpired), "{offer}", "Proposed offers that expired without being shown.");
        meter.CreateObservableCounter("micromoment.trigger.offers.attributed", () => Volatile.Read(ref c.OffersAttributed), "{offer}", "Shown or clicked offers converted by a purchase later in their session.");
        meter.CreateObservableCounter("micromoment.trigger.suppressions", () => GrainInstruments.Each(c.Suppressions, ReasonTags), "{decision}", "Trigger decisions not to fire, by reason.");
        meter.CreateObservableGauge("micromoment.policy.info", () =>
        {
            var p = policy();
            return new Measurement<int>(1, new KeyValuePair<string, object?>("version", p.Version), new KeyValuePair<string, object?>("source", p.Source));
        }, null, "The running trigger policy: 1 for its version and source.");
        meter.CreateObservableGauge("micromoment.policy.loaded.time", () => policy().LoadedAt.ToUnixTimeMilliseconds() / 1000.0, "s", "When the running policy was loaded (Unix seconds, silo clock).");
        meter.CreateObservableCounter("micromoment.policy.reloads", () => (long)policy().Reloads, "{reload}", "Policy file reloads that swapped in a new policy (the initial load not counted).");
        meter.CreateObservableCounter("micromoment.policy.reload.failures", () => (long)policy().ReloadFailures, "{reload}", "Changed policy file contents that failed to read or validate (the running policy stayed).");
        meter.CreateObservableGauge("micromoment.policy.reload.error", () => policy().LastError is null ? 0 : 1, null, "1 while the policy file on disk fails and differs from the running policy (GET /v1/policy has the message).");
        meter.CreateObservableGauge("micromoment.alert.firing", () => alerts().Select(a => new Measurement<int>(a.Firing ? 1 : 0, Name(a))), null,
            $"1 while a monitoring alert fires (observed value above the policy's limit over the last {AlertMonitor.Window.TotalMinutes:0} minutes): offers-per-session, false-alarm-rate, trigger-latency-p99.");
        meter.CreateObservableGauge("micromoment.alert.observed", () => alerts().Where(a => a.Observed is not null).Select(a => new Measurement<double>(a.Observed!.Value, Name(a))), null,
            "The value each alert judges over the window (seconds for latency); absent without data.");
        meter.CreateObservableGauge("micromoment.alert.limit", () => alerts().Select(a => new Measurement<double>(a.Limit, Name(a))), null,
            "Each alert's limit from the running policy's monitoring block (seconds for latency).");
    }

    /// <summary>The meter.</summary>
    public Meter Meter { get; }

    private static KeyValuePair<string, object?> Name(AlertStatus alert) => new("name", alert.Name);
}
