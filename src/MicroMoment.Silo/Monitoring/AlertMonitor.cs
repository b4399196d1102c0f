using HdrHistogram;
using MicroMoment.Silo.Triggers;

namespace MicroMoment.Silo.Monitoring;

/// <summary>
/// Judges the policy's <see cref="MonitoringLimits"/> over a sliding window of <see cref="Window"/> (silo clock),
/// from the silo's cumulative counters and the event durations recorded since the previous evaluation (an HdrHistogram
/// interval): each evaluation keeps a sample, and the window's values are now minus the newest sample taken at least
/// <see cref="Window"/> ago (minus zero before the first) for the counters, and the intervals after that sample for
/// the latency, so the window is exact when evaluations come often (every dashboard tick or scrape) and longer, never
/// shorter, when they do not.
/// </summary>
/// <remarks>
/// offers-per-session: offers in closed sessions that received at least one, over those sessions.
/// false-alarm-rate: closed sessions that received an offer and ended without a purchase, over closed sessions that
/// ended without a purchase (the share of non-buying sessions that were interrupted; the model card's definition).
/// trigger-latency-p99: 99th percentile of event-to-decision latency (enqueue to decision) from the HdrHistogram of the
/// window (microseconds, 2 significant digits: within 1 %).
/// A session is closed when the shopper's next event starts a new one or the grain is deactivated idle; sessions
/// whose grain was restored from storage mid-session, or evicted under the activation cap, are not counted.
/// </remarks>
internal sealed class AlertMonitor
{
    /// <summary>The sliding window.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>Alert names.</summary>
    public const string OffersPerSession = "offers-per-session", FalseAlarmRate = "false-alarm-rate", TriggerLatency = "trigger-latency-p99";

    /// <summary>Most microseconds a latency histogram tracks (one hour; longer reads as one hour).</summary>
    internal const long MaxMicroseconds = 3_600_000_000;

    private const int MaxSamples = 512;

    private readonly Lock _gate = new();
    private readonly List<Sample> _samples = [];

    /// <summary>
    /// One reading: the cumulative counters at <paramref name="Ticks"/> and the event latencies (microseconds) recorded
    /// since the previous reading.
    /// </summary>
    internal sealed record Sample(long Ticks, long SessionsClosed, long SessionsWithoutPurchase, long OfferedSessions, long OfferedWithoutPurchase, long OffersInOffered, HistogramBase Latency);

    /// <summary>A recorder of event latencies in microseconds that <see cref="Evaluate"/> takes its intervals from (thread-safe, allocation-free writes).</summary>
    public static Recorder NewRecorder() =>
        HistogramFactory.With64BitBucketSize().WithValuesFrom(1).WithValuesUpTo(MaxMicroseconds).WithPrecisionOf(2).WithThreadSafeWrites().WithThreadSafeReads().Create();

    /// <summary>An empty latency histogram of the recorder's shape.</summary>
    public static HistogramBase NewHistogram() =>
        HistogramFactory.With64BitBucketSize().WithValuesFrom(1).WithValuesUpTo(MaxMicroseconds).WithPrecisionOf(2).Create();

    /// <summary>Judges <paramref name="limits"/> over the window ending at <paramref name="now"/>.</summary>
    public IReadOnlyList<AlertStatus> Evaluate(Sample now, MonitoringLimits limits)
    {
        Sample? baseline = null;
        var window = NewHistogram();
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

            // The latest reading at a time (or within a 512th of the window) stands for it, carrying the earlier one's latencies.
            if (_samples.Count > 0 && !ReferenceEquals(_samples[^1], baseline) && now.Ticks - _samples[^1].Ticks < Window.Ticks / MaxSamples)
            {
                now.Latency.Add(_samples[^1].Latency);
                _samples[^1] = now;
            }
            else
            {
                _samples.Add(now);
            }

            if (_samples.Count > MaxSamples)
            {
                _samples[2].Latency.Add(_samples[1].Latency); // bounded even if evaluated far more often than the window needs
                _samples.RemoveAt(1);
            }

            foreach (var sample in _samples)
            {
                if (!ReferenceEquals(sample, baseline)) window.Add(sample.Latency);
            }
        }

        return Judge(now with { Latency = window }, baseline, limits);
    }

    /// <summary>The alerts for the counters' change from <paramref name="baseline"/> (null: zero) to <paramref name="now"/>, with <paramref name="now"/>'s latencies as the window's.</summary>
    internal static IReadOnlyList<AlertStatus> Judge(Sample now, Sample? baseline, MonitoringLimits limits)
    {
        long offered = now.OfferedSessions - (baseline?.OfferedSessions ?? 0);
        long offers = now.OffersInOffered - (baseline?.OffersInOffered ?? 0);
        long nonBuying = now.SessionsWithoutPurchase - (baseline?.SessionsWithoutPurchase ?? 0);
        long falseAlarms = now.OfferedWithoutPurchase - (baseline?.OfferedWithoutPurchase ?? 0);
        long events = now.Latency.TotalCount;
        bool enough = offers >= limits.MinOffers;

        double? perSession = offered > 0 ? (double)offers / offered : null;
        double? falseRate = nonBuying > 0 ? (double)falseAlarms / nonBuying : null;
        double? p99 = events > 0 ? now.Latency.GetValueAtPercentile(99) / 1e6 : null;
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
}
