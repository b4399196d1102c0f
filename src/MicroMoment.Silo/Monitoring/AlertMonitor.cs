using MicroMoment.Silo.Triggers;

namespace MicroMoment.Silo.Monitoring;

/// <summary>
/// Judges the policy's <see cref="MonitoringLimits"/> over a sliding window of <see cref="Window"/> (silo clock),
/// from the silo's cumulative counters and latency histogram: each evaluation keeps a snapshot, and the window's
/// values are now minus the newest snapshot taken at least <see cref="Window"/> ago (minus zero before the first),
/// so nothing is added to the per-event path and the window is exact when evaluations come often (every dashboard
/// tick or scrape) and longer, never shorter, when they do not.
/// </summary>
/// <remarks>
/// offers-per-session: offers in closed sessions that received at least one, over those sessions.
/// false-alarm-rate: closed sessions that received an offer and ended without a purchase, over closed sessions that
/// ended without a purchase (the share of non-buying sessions that were interrupted; the model card's definition).
/// trigger-latency-p99: 99th percentile of event-to-decision latency (enqueue to decision), interpolated in its
/// histogram bucket (a value beyond the last bound reads as that bound, 1 s).
/// A session is closed when the shopper's next event starts a new one or the grain is deactivated idle; sessions
/// whose grain was restored from storage mid-session, or evicted under the activation cap, are not counted.
/// </remarks>
internal sealed class AlertMonitor
{
    /// <summary>The sliding window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>Alert names.</summary>
    public const string OffersPerSession = "offers-per-session", FalseAlarmRate = "false-alarm-rate", TriggerLatency = "trigger-latency-p99";

    private readonly Lock _gate = new();
    private readonly List<Sample> _samples = [];

    /// <summary>One reading of the cumulative values.</summary>
    internal sealed record Sample(long Ticks, long SessionsClosed, long SessionsWithoutPurchase, long OfferedSessions, long OfferedWithoutPurchase, long OffersInOffered, long[] Latency);

    /// <summary>Judges <paramref name="limits"/> over the window ending at <paramref name="now"/>.</summary>
    public IReadOnlyList<AlertStatus> Evaluate(Sample now, MonitoringLimits limits)
    {
        Sample? baseline = null;
        lock (_gate)
        {
            long from = now.Ticks - Window.Ticks;
            int newestOld = -1;
            for (int i = 0; i < _samples.Count; i++)
            {
                if (_samples[i].Ticks <= from) newestOld = i;
            }

            if (newestOld >= 0)
            {
                baseline = _samples[newestOld];
                _samples.RemoveRange(0, newestOld); // keep the baseline, drop what is older
            }

            if (_samples.Count > 0 && _samples[^1].Ticks >= now.Ticks && !ReferenceEquals(_samples[^1], baseline)) _samples[^1] = now; // the latest reading at a time stands for it
            else _samples.Add(now);
            if (_samples.Count > 4096) _samples.RemoveAt(1); // bounded even if evaluated far more often than the window needs
        }

        return Judge(now, baseline, limits);
    }

    /// <summary>The alerts for the change from <paramref name="baseline"/> (null: zero) to <paramref name="now"/>.</summary>
    internal static IReadOnlyList<AlertStatus> Judge(Sample now, Sample? baseline, MonitoringLimits limits)
    {
        long offered = now.OfferedSessions - (baseline?.OfferedSessions ?? 0);
        long offers = now.OffersInOffered - (baseline?.OffersInOffered ?? 0);
        long nonBuying = now.SessionsWithoutPurchase - (baseline?.SessionsWithoutPurchase ?? 0);
        long falseAlarms = now.OfferedWithoutPurchase - (baseline?.OfferedWithoutPurchase ?? 0);
        var latency = new long[now.Latency.Length];
        for (int i = 0; i < latency.Length; i++) latency[i] = now.Latency[i] - (baseline?.Latency[i] ?? 0);
        long events = latency.Sum();
        bool enough = offers >= limits.MinOffers;

        double? perSession = offered > 0 ? (double)offers / offered : null;
        double? falseRate = nonBuying > 0 ? (double)falseAlarms / nonBuying : null;
        double? p99 = events > 0 ? Percentile(latency, 0.99) : null;
        double latencyLimit = limits.MaxTriggerLatency.TotalSeconds;
        string window = $"over the last {Window.TotalMinutes:0} min";
        return
        [
            new(OffersPerSession, enough && perSession > limits.MaxOffersPerSession, perSession, limits.MaxOffersPerSession, enough && perSession is not null,
                $"{offers} offers in {offered} closed sessions with an offer {window} (judged from {limits.MinOffers} offers)"),
            new(FalseAlarmRate, enough && falseRate > limits.MaxFalseAlarmRate, falseRate, limits.MaxFalseAlarmRate, enough && falseRate is not null,
                $"{falseAlarms} of {nonBuying} closed sessions without a purchase received an offer {window} (judged from {limits.MinOffers} offers)"),
            new(TriggerLatency, p99 > latencyLimit, p99, latencyLimit, p99 is not null,
                $"p99 of {events} event-to-decision latencies {window}"),
        ];
    }

    /// <summary>The <paramref name="q"/> quantile of non-cumulative bucket counts over <see cref="LatencyHistogram.Bounds"/>, seconds.</summary>
    internal static double Percentile(long[] counts, double q)
    {
        long total = counts.Sum();
        double rank = q * total, running = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0) continue;
            if (running + counts[i] >= rank)
            {
                if (i >= LatencyHistogram.Bounds.Length) return LatencyHistogram.Bounds[^1];
                double low = i == 0 ? 0 : LatencyHistogram.Bounds[i - 1], high = LatencyHistogram.Bounds[i];
                return low + (high - low) * Math.Clamp((rank - running) / counts[i], 0, 1);
            }

            running += counts[i];
        }

        return LatencyHistogram.Bounds[^1];
    }
}
