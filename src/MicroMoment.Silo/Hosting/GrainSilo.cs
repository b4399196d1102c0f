using Orleans.Storage;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using System.Globalization;
using MicroMoment.Events;
using MicroMoment.Grains;
using MicroMoment.Scoring;
using MicroMoment.Silo.Grains;
using MicroMoment.Silo.Monitoring;
using MicroMoment.Silo.Triggers;

namespace MicroMoment.Silo;

/// <summary>
/// The gateway's view of the silo it runs in: <see cref="IMicroMomentSilo"/> over the grains. A call's events are
/// validated, grouped by shopper (order kept) and handed to each shopper's <see cref="IUserGrain"/> in one call; the
/// answers come back in submission order. At most <see cref="SiloOptions.QueueCapacity"/> events are in hand at once:
/// beyond that a shopper's events are answered overloaded at once, never queued. Offers reach sinks through one offer
/// observer that the trigger grains of watched shoppers push to, on whichever silo they run.
/// </summary>
public sealed class GrainSilo : IMicroMomentSilo, ISiloCensus
{
    private readonly IGrainFactory _grains;
    private readonly SiloContext _context;
    private readonly ExperimentCountFlusher _flusher;
    private readonly Func<PolicyStatus> _policyStatus;
    private readonly OfferObserver _observer;
    private readonly OrderedIngest _ingest;
    private readonly OfferWatches _watches;
    private readonly ILogger _log;
    private int _inFlight;
    private volatile bool _accepting = true;
    private volatile bool _disposed;

    internal GrainSilo(IGrainFactory grains, SiloContext context, ExperimentCountFlusher flusher, Func<PolicyStatus> policyStatus, ILogger<GrainSilo> log, System.Diagnostics.Metrics.IMeterFactory? meters = null)
    {
        _log = log;
        _grains = grains;
        _context = context;
        _flusher = flusher;
        _policyStatus = policyStatus;
        _observer = new OfferObserver(context, log);
        _ingest = new OrderedIngest(grains);
        _watches = new OfferWatches(grains, grains.CreateObjectReference<IOfferObserver>(_observer), TimeProvider.System, log);
        context.Grains.ObserveFront(() => Volatile.Read(ref _inFlight), context.Options.QueueCapacity, () => NotReadyReason() is null);
        Triggers = new TriggerInstruments(SiloMeters.Create(meters, SiloMeters.Triggers), context.Counters, policyStatus, EvaluateAlerts);
    }

    /// <summary>The trigger decisions' instruments.</summary>
    internal TriggerInstruments Triggers { get; }

    /// <inheritdoc/>
    public MicroMomentModel Model => _context.Model;

    /// <summary>The silo's shared context.</summary>
    public SiloContext Context => _context;

    /// <summary>True for a front in a process without the grains (an Orleans client): it counts the grains' answers itself.</summary>
    internal bool CountsAnswers { get; init; }

    /// <summary>The running trigger policy and how its reloads went.</summary>
    public PolicyStatus PolicyStatus => _policyStatus();

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<IngestOutcome>> IngestAsync(IReadOnlyList<ClickEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        int n = events.Count;
        if (n == 0) return Array.Empty<IngestOutcome>();
        long start = Stopwatch.GetTimestamp();
        var outcomes = new IngestOutcome[n];
        var counters = _context.Counters;

        // Take in as many valid events as the capacity has room for, in submission order: a shopper's refused event is
        // never overtaken by a later one of theirs. Then group the taken ones by shopper (order kept).
        int valid = 0;
        for (int i = 0; i < n; i++)
        {
            if (Validate(events[i]) is { } reason) outcomes[i] = Drop(reason);
            else valid++;
        }

        int admitted = _accepting ? Reserve(valid) : 0;
        var groups = new Dictionary<(string Tenant, string User), List<int>>();
        int taken = 0;
        for (int i = 0; i < n; i++)
        {
            if (outcomes[i] is not null) continue;
            if (taken == admitted)
            {
                outcomes[i] = Drop(_accepting ? DropReason.Overloaded : DropReason.ShuttingDown);
                continue;
            }

            taken++;
            var e = events[i];
            if (!groups.TryGetValue((e.Tenant, e.UserId), out var members)) groups[(e.Tenant, e.UserId)] = members = new List<int>(1);
            members.Add(i);
        }

        var calls = new List<(Task<IngestOutcome[]> Call, List<int> Members)>(groups.Count);
        foreach (var (shopper, members) in groups)
        {
            var batch = new ClickEvent[members.Count];
            for (int k = 0; k < batch.Length; k++) batch[k] = events[members[k]];
            calls.Add((_ingest.SendAsync(GrainKeys.Of(shopper.Tenant, shopper.User), new EventBatch(batch)), members));
        }

        try
        {
            foreach (var (call, members) in calls)
            {
                IngestOutcome[] answers;
                try
                {
                    answers = await call.ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    var reason = Unavailable(ex);
                    foreach (int i in members) outcomes[i] = Drop(reason);
                    continue;
                }

                for (int k = 0; k < members.Count; k++) outcomes[members[k]] = answers[k];
                if (CountsAnswers)
                {
                    foreach (var answer in answers) Interlocked.Increment(ref counters.Status[(int)answer.Status]);
                }
            }
        }
        finally
        {
            Interlocked.Add(ref _inFlight, -admitted);
        }

        long elapsed = Stopwatch.GetTimestamp() - start;
        _context.AlertLatency.RecordValueWithCount(Math.Clamp(elapsed * 1_000_000 / Stopwatch.Frequency, 1, AlertMonitor.MaxMicroseconds), n);
        _context.Grains.RecordEvents(elapsed, n);
        return outcomes;
    }

    /// <summary>Reserves room for up to <paramref name="wanted"/> events within the queue capacity; returns how many were granted.</summary>
    private int Reserve(int wanted)
    {
        int capacity = _context.Options.QueueCapacity;
        while (true)
        {
            int inFlight = Volatile.Read(ref _inFlight);
            int granted = Math.Min(wanted, capacity - inFlight);
            if (granted <= 0) return 0;
            if (Interlocked.CompareExchange(ref _inFlight, inFlight + granted, inFlight) == inFlight) return granted;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<UserView?> GetUserAsync(string tenant, string userId, CancellationToken cancellationToken = default) =>
        await _grains.GetGrain<IUserGrain>(GrainKeys.Of(tenant, userId)).GetViewAsync().WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The id is blank, <paramref name="at"/> is not UTC, or the feedback is not defined.</exception>
    public async ValueTask<FeedbackOutcome> RecordFeedbackAsync(string offerId, OfferFeedback feedback, DateTime at, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(offerId)) throw new ArgumentException("The offer id is blank; expected the id of an offer the silo fired.", nameof(offerId));
        if (at.Kind != DateTimeKind.Utc) throw new ArgumentException($"The feedback time {at:O} is {at.Kind}; expected UTC (DateTimeKind.Utc).", nameof(at));
        if (!Enum.IsDefined(feedback)) throw new ArgumentException($"Feedback {(int)feedback} is not an OfferFeedback; expected Shown, Clicked, Dismissed or Converted.", nameof(feedback));
        var outcome = OfferKeys.TryGetGrainKey(offerId, out var key)
            ? await _grains.GetGrain<IUserGrain>(key).RecordFeedbackAsync(offerId, feedback, at).WaitAsync(cancellationToken).ConfigureAwait(false)
            : FeedbackOutcome.UnknownOffer;
        Interlocked.Increment(ref _context.Counters.Feedback[(int)outcome]);
        return outcome;
    }

    /// <inheritdoc/>
    /// <remarks>Returns after the change is stored (withdrawing tracking deletes the stored session before returning).</remarks>
    public async ValueTask SetConsentAsync(string tenant, string userId, Consent consent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consent);
        await _grains.GetGrain<IUserGrain>(GrainKeys.Of(tenant, userId)).SetConsentAsync(consent).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>Returns after the stored rows are deleted (overwritten in the file; see the grain storage).</remarks>
    public async ValueTask<bool> EraseUserAsync(string tenant, string userId, CancellationToken cancellationToken = default) =>
        await _grains.GetGrain<IUserGrain>(GrainKeys.Of(tenant, userId)).EraseAsync().WaitAsync(cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public void Subscribe(IOfferSink sink) => _observer.Add(sink ?? throw new ArgumentNullException(nameof(sink)));

    /// <inheritdoc/>
    /// <remarks>
    /// Returns once the shopper's trigger grain pushes their offers here: a nested watch of a shopper whose first watch is
    /// still on its way waits for it too (and one whose first watch failed asks again).
    /// </remarks>
    public ValueTask WatchAsync(string tenant, string userId, CancellationToken cancellationToken = default) =>
        _watches.WatchAsync(GrainKeys.Of(tenant, userId), cancellationToken);

    /// <inheritdoc/>
    public ValueTask UnwatchAsync(string tenant, string userId, CancellationToken cancellationToken = default) =>
        _watches.UnwatchAsync(GrainKeys.Of(tenant, userId), cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<ExperimentsReport> GetExperimentsAsync(CancellationToken cancellationToken = default)
    {
        await _flusher.FlushAsync(cancellationToken).ConfigureAwait(false);
        var totals = await _grains.GetGrain<IExperimentCounterGrain>(IExperimentCounterGrain.Key).GetAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var ledger = new AttributionLedger();
        foreach (string metric in ledger.Restore(totals.Select(t => (t.Experiment, t.Variant, t.Metric, t.Value))).Distinct())
            SiloLog.UnknownExperimentMetric(_log, metric, string.Join(", ", Enum.GetNames<ExperimentMetric>()));
        return ExperimentReporter.Build(_context.Policy, ledger, _context.Clock.GetUtcNow());
    }

    /// <summary>Stops taking events (they are answered shutting-down) and stops renewing offer watches.</summary>
    internal async Task StopAsync()
    {
        _accepting = false;
        await _watches.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public SiloStatistics GetStatistics()
    {
        var c = _context.Counters;
        var byStatus = Enum.GetValues<IngestStatus>().ToDictionary(s => s.ToString(), s => Volatile.Read(ref c.Status[(int)s]));
        var drops = new Dictionary<string, long>();
        for (int i = 0; i < DropReasons.Count; i++)
        {
            long dropped = Volatile.Read(ref c.Drops[i]);
            if (dropped > 0) drops[DropReasons.Code((DropReason)i)] = dropped;
        }

        var suppressions = new Dictionary<string, long>();
        for (int i = 0; i < TriggerPolicy.AllReasonCodes.Count; i++) suppressions[TriggerPolicy.AllReasonCodes[i]] = Volatile.Read(ref c.Suppressions[i]);
        string? notReady = NotReadyReason();
        var executor = _context.Executor;
        long unwritten = 0;
        foreach (var grain in _context.Shoppers.Grains) unwritten += grain.UnwrittenChanges;
        return new SiloStatistics(
            byStatus[nameof(IngestStatus.Accepted)],
            byStatus,
            drops,
            Volatile.Read(ref c.OffersFired),
            suppressions,
            _context.Shoppers.Count,
            Volatile.Read(ref c.Activations),
            Volatile.Read(ref c.Deactivations),
            [Volatile.Read(ref _inFlight)],
            _context.Options.QueueCapacity,
            unwritten,
            notReady is null)
        {
            NotReadyReason = notReady,
            OffersExpired = Volatile.Read(ref c.OffersExpired),
            UnknownTimeZones = Volatile.Read(ref c.UnknownTimeZones),
            OffersAttributed = Volatile.Read(ref c.OffersAttributed),
            FeedbackByOutcome = Enum.GetValues<FeedbackOutcome>().ToDictionary(o => o.ToString(), o => Volatile.Read(ref c.Feedback[(int)o])),
            WritesCommitted = Volatile.Read(ref c.WritesCommitted),
            WriteFailures = Volatile.Read(ref c.WriteFailures),
            NetworkSteps = executor.Batches,
            NetworkRows = executor.Rows,
            Backend = executor.Backend,
            Policy = _policyStatus(),
            Alerts = EvaluateAlerts(),
            AlertWindow = AlertMonitor.Window,
        };
    }

    /// <summary>Judges the running policy's monitoring limits over the alert window ending now.</summary>
    private IReadOnlyList<AlertStatus> EvaluateAlerts()
    {
        var c = _context.Counters;
        return _context.Alerts.Evaluate(
            new AlertMonitor.Sample(
                _context.NowTicks, Volatile.Read(ref c.SessionsClosed), Volatile.Read(ref c.SessionsClosedWithoutPurchase), Volatile.Read(ref c.OfferedSessionsClosed),
                Volatile.Read(ref c.OfferedSessionsWithoutPurchase), Volatile.Read(ref c.OffersInClosedSessions), _context.AlertLatency.GetIntervalHistogram()),
            _context.Policy.Monitoring);
    }

    /// <inheritdoc/>
    public ValueTask<SessionCensus> CensusAsync(int hottest, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hottest);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hottest, 1000);
        int clusters = _context.Clusters.Count;
        long now = _context.NowTicks;
        long active = 0, idle = 0;
        var byCluster = new long[clusters];
        var byIntent = new long[Enum.GetValues<Intent>().Length];
        var top = new PriorityQueue<HotGrain, long>();
        foreach (var grain in _context.Shoppers.Grains)
        {
            cancellationToken.ThrowIfCancellationRequested();
            active++;
            if (grain.LiveSessionScore(now) is { } score)
            {
                if ((uint)score.Cluster < (uint)clusters) byCluster[score.Cluster]++;
                if ((uint)score.Intent < (uint)byIntent.Length) byIntent[(int)score.Intent]++;
            }
            else if (grain.HasSession)
            {
                idle++;
            }

            if (hottest == 0) continue;
            long applied = grain.EventsApplied;
            if (top.Count < hottest) top.Enqueue(new HotGrain(grain.Tenant, grain.UserId, 0, applied), applied);
            else if (top.TryPeek(out _, out long least) && applied > least) top.EnqueueDequeue(new HotGrain(grain.Tenant, grain.UserId, 0, applied), applied);
        }

        var hot = top.UnorderedItems.Select(i => i.Element).OrderByDescending(g => g.EventsApplied).ThenBy(g => g.UserId, StringComparer.Ordinal).ToArray();
        return ValueTask.FromResult(new SessionCensus(active, byCluster, Enum.GetValues<Intent>().ToDictionary(i => i.ToString(), i => byIntent[(int)i]), hot)
        {
            IdleSessions = idle,
        });
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _disposed = true;
    }

    /// <summary>The reason an event is invalid, or null when a grain can apply it.</summary>
    internal static DropReason? Validate(in ClickEvent e)
    {
        if (string.IsNullOrEmpty(e.Tenant) || e.Tenant.Contains('/')) return DropReason.MissingTenant;
        if (string.IsNullOrWhiteSpace(e.UserId)) return DropReason.MissingUser;
        if (e.Timestamp.Kind != DateTimeKind.Utc) return DropReason.TimestampNotUtc;
        if (float.IsInfinity(e.Price)) return DropReason.NonFinitePrice;
        if (e.Price < 0) return DropReason.NegativePrice;
        if ((uint)e.Type >= EventTypes.Count) return DropReason.UnknownType;
        if (e.ProductId < 0 || e.CategoryId < 0) return DropReason.NegativeId;
        return null;
    }

    /// <summary>Why the silo cannot take every event now, or null when it can.</summary>
    private string? NotReadyReason()
    {
        if (!_accepting) return _disposed ? "The silo is shut down (after shutting down, it takes no events)." : "The silo is shutting down and takes no more events.";
        if (_context.WriteFailure is { } failure)
            return $"Writing grain state fails ({failure}); acknowledged events would not become durable. Grains retry at their next checkpoint.";
        if (_context.WriteStall is { } stall)
            return $"Grain state writes have not completed for {stall.TotalSeconds:0.0} s: the store does not answer. Events wait for their writes and are answered when it does (overloaded if their call times out).";
        return null;
    }

    private DropReason Unavailable(Exception error)
    {
        switch (error)
        {
            case TimeoutException or SiloUnavailableException or OrleansMessageRejectionException or GatewayTooBusyException:
                return DropReason.Overloaded;
            case InconsistentStateException:
                return DropReason.StorageUnavailable;
            default:
                SiloLog.IngestCallFailed(_log, error);
                return DropReason.InternalError;
        }
    }

    private IngestOutcome Drop(DropReason reason)
    {
        _context.Counters.Count(reason);
        return DropReasons.Outcome(reason);
    }

    /// <summary>Receives the offers trigger grains push and hands each to every sink (queued by the sinks, never waited on).</summary>
    private sealed class OfferObserver(SiloContext context, ILogger log) : IOfferObserver
    {
        private IOfferSink[] _sinks = [];

        public void Add(IOfferSink sink)
        {
            lock (this) _sinks = [.. _sinks, sink];
        }

        public Task OnOfferAsync(Offer offer)
        {
            using var span = StartDeliverSpan(offer);
            foreach (var sink in Volatile.Read(ref _sinks))
            {
                try
                {
                    sink.Deliver(offer);
                }
                catch (Exception ex)
                {
                    SiloLog.OfferSinkFailed(log, ex, sink.GetType().Name, offer.Id);
                }
            }

            return Task.CompletedTask;
        }

        /// <summary>
        /// The delivery span, in the trace of the decision that fired the offer: Orleans' activity propagation puts the
        /// trigger grain's context in the call's request context (an observer call may run without an activity of its own).
        /// </summary>
        private Activity? StartDeliverSpan(Offer offer)
        {
            var source = MicroMomentActivities.Source;
            if (!source.HasListeners()) return null;
            var parent = Activity.Current?.Context ?? default;
            if (parent == default && RequestContext.Get("traceparent") is string traceParent)
                ActivityContext.TryParse(traceParent, RequestContext.Get("tracestate") as string, isRemote: true, out parent);
            if ((parent.TraceFlags & ActivityTraceFlags.Recorded) == 0) return null;
            var span = source.StartActivity(MicroMomentActivities.OfferDeliver, ActivityKind.Consumer, parent);
            if (span is { IsAllDataRequested: true })
            {
                span.SetTag(MicroMomentActivities.SiloTag, context.SiloAddress);
                span.SetTag(MicroMomentActivities.TenantTag, offer.Tenant);
                span.SetTag(MicroMomentActivities.OfferTag, offer.Id);
            }

            return span;
        }
    }
}
