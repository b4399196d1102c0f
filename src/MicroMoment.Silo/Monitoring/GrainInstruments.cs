using System.Diagnostics;
using System.Diagnostics.Metrics;
using MicroMoment.Silo.Grains;

namespace MicroMoment.Silo.Monitoring;

/// <summary>
/// The user grains' instruments (meter <see cref="SiloMeters.Grains"/>): counters observed from the silo's atomic
/// <see cref="SiloCounters"/> (nothing added to the per-event path beyond the increment) and the event and grain-turn
/// duration histograms.
/// </summary>
internal sealed class GrainInstruments
{
    private static readonly IngestStatus[] Statuses = Enum.GetValues<IngestStatus>();
    private static readonly FeedbackOutcome[] Outcomes = Enum.GetValues<FeedbackOutcome>();
    private static readonly KeyValuePair<string, object?>[] StatusTags = [.. Statuses.Select(s => new KeyValuePair<string, object?>("status", Wire(s)))];
    private static readonly KeyValuePair<string, object?>[] DropTags = [.. Enumerable.Range(0, DropReasons.Count).Select(i => new KeyValuePair<string, object?>("reason", DropReasons.Code((DropReason)i)))];
    private static readonly KeyValuePair<string, object?>[] OutcomeTags = [.. Outcomes.Select(o => new KeyValuePair<string, object?>("outcome", o.ToString().ToLowerInvariant()))];

    private readonly Histogram<double> _eventDuration;
    private readonly Histogram<double> _turnDuration;

    /// <summary>Creates the instruments on <paramref name="meter"/> over <paramref name="context"/>'s counters.</summary>
    public GrainInstruments(Meter meter, SiloContext context)
    {
        Meter = meter;
        var c = context.Counters;
        _eventDuration = SiloMeters.Duration(meter, "micromoment.grain.event.duration",
            "Event processing in the silo: from the event entering the silo's front to its answer (its network step, trigger decision and any offer included); accepted events and events dropped inside the silo.",
            SiloMeters.LatencyBounds);
        _turnDuration = SiloMeters.Duration(meter, "micromoment.grain.turn.duration",
            "Time a user grain spends on one event after its network step (scores, trigger decision, answer).", SiloMeters.ShortDurationBounds);
        meter.CreateObservableCounter("micromoment.grain.events", () => Each(c.Status, StatusTags), "{event}", "Events answered by the silo, by status (accepted, duplicate, rejected, opted_out, overloaded).");
        meter.CreateObservableCounter("micromoment.grain.event.drops", () => NonZero(c.Drops, DropTags), "{event}", "Events rejected or dropped by the silo, by reason.");
        meter.CreateObservableCounter("micromoment.grain.activations", () => Volatile.Read(ref c.Activations), "{activation}", "User grain activations over the silo's life.");
        meter.CreateObservableCounter("micromoment.grain.deactivations", () => Volatile.Read(ref c.Deactivations), "{deactivation}", "User grain deactivations (idle collection, shutdown, erasure) over the silo's life.");
        meter.CreateObservableUpDownCounter("micromoment.grain.active", () => (long)context.Shoppers.Count, "{grain}", "User grains active in memory.");
        meter.CreateObservableCounter("micromoment.grain.sessions.closed", () => Volatile.Read(ref c.SessionsClosed), "{session}", "Sessions seen closed (the shopper's next event started a new one, or the grain went idle).");
        meter.CreateObservableCounter("micromoment.grain.unknown_time_zones", () => Volatile.Read(ref c.UnknownTimeZones), "{event}", "Events whose context.timeZone named no known time zone (scored; the zone was ignored).");
        meter.CreateObservableCounter("micromoment.grain.feedback", () => Each(c.Feedback, OutcomeTags), "{call}", "Offer feedback calls, by outcome.");
    }

    /// <summary>The meter.</summary>
    public Meter Meter { get; }

    /// <summary>Records the processing time of <paramref name="events"/> events answered together after <paramref name="elapsedTicks"/> Stopwatch ticks.</summary>
    public void RecordEvents(long elapsedTicks, int events)
    {
        if (!_eventDuration.Enabled) return;
        double seconds = elapsedTicks / (double)Stopwatch.Frequency;
        for (int i = 0; i < events; i++) _eventDuration.Record(seconds);
    }

    /// <summary>Records one grain turn of <paramref name="elapsedTicks"/> Stopwatch ticks.</summary>
    public void RecordTurn(long elapsedTicks) => _turnDuration.Record(elapsedTicks / (double)Stopwatch.Frequency);

    /// <summary>Adds the silo front's instruments: events in hand, the capacity and readiness.</summary>
    public void ObserveFront(Func<long> inFlight, int capacity, Func<bool> ready)
    {
        Meter.CreateObservableUpDownCounter("micromoment.grain.queue.depth", inFlight, "{event}", "Events in hand: handed to the silo's grains and not yet answered.");
        Meter.CreateObservableUpDownCounter("micromoment.grain.queue.capacity", () => (long)capacity, "{event}", "Most events the silo takes in at once (beyond it events are answered overloaded).");
        Meter.CreateObservableGauge("micromoment.silo.ready", () => ready() ? 1 : 0, null, "1 while the silo accepts every event (0: see /readyz for why not).");
    }

    internal static string Wire(IngestStatus status) => status switch
    {
        IngestStatus.OptedOut => "opted_out",
        _ => status.ToString().ToLowerInvariant(),
    };

    internal static Measurement<long>[] Each(long[] counts, KeyValuePair<string, object?>[] tags)
    {
        var result = new Measurement<long>[counts.Length];
        for (int i = 0; i < counts.Length; i++) result[i] = new Measurement<long>(Volatile.Read(ref counts[i]), tags[i]);
        return result;
    }

    internal static List<Measurement<long>> NonZero(long[] counts, KeyValuePair<string, object?>[] tags)
    {
        var result = new List<Measurement<long>>();
        for (int i = 0; i < counts.Length; i++)
        {
            long value = Volatile.Read(ref counts[i]);
            if (value > 0) result.Add(new Measurement<long>(value, tags[i]));
        }

        return result;
    }
}
