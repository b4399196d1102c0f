using System.Diagnostics;
using System.Runtime.InteropServices;
using MicroMoment.Events;
using MicroMoment.Grains;
using MicroMoment.Model;
using MicroMoment.Scoring;
using MicroMoment.Silo.Execution;
using MicroMoment.Silo.Triggers;

namespace MicroMoment.Silo.Grains;

/// <summary>
/// The grain of one shopper (key <c>tenant/user</c>). Per event it checks consent and the event id against the ring of
/// recently applied ids, sessionizes and encodes the features, awaits one step of the model on the silo's batched
/// executor (many grains share one batch), calibrates, and lets its <see cref="ITriggerGrain"/> decide when some rule's
/// signal reaches its threshold (or on a purchase once the trigger holds state); otherwise it answers the trigger's
/// quiet reason itself and counts the event as skipped, which the trigger applies to its gate histories on the next
/// call, so decisions equal those of a trigger that saw every event. State lives in <see cref="UserState"/> and is
/// written as the silo's <see cref="Durability"/> says.
/// </summary>
/// <remarks>
/// Not reentrant: one message at a time, so the state needs no locks and the step request's arrays are the executor's
/// only while this grain awaits its step. Beyond what Orleans' messaging allocates per call, an event without an offer
/// allocates its answer and nothing else once the grain's arrays are grown.
/// </remarks>
internal sealed class UserGrain : Grain, IUserGrain
{
    /// <summary>The storage provider name grain state goes to.</summary>
    public const string StorageName = MicroMomentSiloExtensions.GrainStorageName;

    private const int RecentDecisionCount = 8;

    private readonly IPersistentState<UserState> _store;
    private readonly SiloContext _context;
    private readonly Checkpointer<UserState> _checkpoint;
    private ShopperTimeZone _timeZone;
    private StepRequest? _step;
    private ClusterCentroids? _clusters;
    private ITriggerGrain? _trigger;
    private string _tenant = "";
    private string _userId = "";
    private bool _discard;
    private long _lastTouchedTicks;
    private bool _leaving;

    // Monitoring of the current session (not stored: a session restored mid-way is not counted).
    private bool _sessionTracked;
    private int _sessionOffers;
    private bool _sessionPurchased;

    /// <summary>Creates the grain (Orleans does, on the first message for its key).</summary>
    public UserGrain([PersistentState("user", StorageName)] IPersistentState<UserState> store, SiloContext context)
    {
        _store = store;
        _context = context;
        _checkpoint = new Checkpointer<UserState>(this, store, context, "user grain");
    }

    // The state object itself, also read by the census and statistics outside the grain's turns (Orleans refuses access to
    // the persistent state's accessor from other threads). Replaced together with _store.State.
    private UserState _state = new();

    private UserState State => _state;

    /// <summary>The shop.</summary>
    public string Tenant => _tenant;

    /// <summary>The shopper.</summary>
    public string UserId => _userId;

    /// <summary>Events applied over the grain's life (read by the census outside the grain's turns).</summary>
    public long EventsApplied => Volatile.Read(ref _state.EventsApplied);

    /// <summary>Changes not yet written to storage (read by the statistics outside the grain's turns).</summary>
    public int UnwrittenChanges => _checkpoint.Unwritten;

    /// <inheritdoc/>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_tenant, _userId) = GrainKeys.Split(this.GetPrimaryKeyString());
        var state = _state = _store.State;
        if (state.Network is not null && (state.ModelVersion != _context.Model.Info.Version || state.Network.Length != _context.StateSize))
        {
            // A session of another model: its network state means nothing to this one. Consent, ids and counters stay.
            DropSession(state);
            Interlocked.Increment(ref _context.Counters.SessionsDroppedOnModelChange);
        }

        _timeZone.Restore(state.TimeZoneId);
        _trigger = GrainFactory.GetGrain<ITriggerGrain>(this.GetPrimaryKeyString());
        _clusters = await GrainFactory.GetGrain<IClusterCentroidGrain>(_context.Model.Info.Version).GetCentroidsAsync().ConfigureAwait(true);
        _lastTouchedTicks = _context.NowTicks;
        _context.Shoppers.Add(this);
        Interlocked.Increment(ref _context.Counters.Activations);
    }

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _context.Shoppers.Remove(this);
        Interlocked.Increment(ref _context.Counters.Deactivations);
        CloseSession();
        if (_discard) return;
        try
        {
            await _checkpoint.FlushAsync().ConfigureAwait(true);
        }
        catch (Exception)
        {
            // Counted and logged by the checkpointer; the activation goes anyway (Orleans gives no way to keep it).
        }
    }

    /// <inheritdoc/>
    public async Task<IngestOutcome[]> IngestAsync(EventBatch batch)
    {
        _lastTouchedTicks = _context.NowTicks;
        ArgumentNullException.ThrowIfNull(batch);
        var events = batch.Events;
        var outcomes = new IngestOutcome[events.Length];
        var counters = _context.Counters;
        int changes = 0;
        for (int i = 0; i < events.Length; i++)
        {
            var e = events[i];
            // One span per event (null, and free, unless a tracer samples it); it ends with the iteration.
            using var span = MicroMomentActivities.StartChild(MicroMomentActivities.UserEvent);
            if (span is { IsAllDataRequested: true })
            {
                span.SetTag(MicroMomentActivities.SiloTag, _context.SiloAddress);
                span.SetTag(MicroMomentActivities.TenantTag, e.Tenant);
                span.SetTag(MicroMomentActivities.EventTypeTag, EventTypes.Name(e.Type));
            }

            if (!string.Equals(e.Tenant, _tenant, StringComparison.Ordinal) || !string.Equals(e.UserId, _userId, StringComparison.Ordinal))
            {
                outcomes[i] = Drop(DropReason.ShopperMismatch);
                continue;
            }

            bool hasId = e.EventId is not null;
            ulong idHash = hasId ? StableHash.Of(e.EventId!) : 0;
            switch (Admit(hasId, idHash, e.Timestamp.Ticks))
            {
                case EventAdmission.Duplicate:
                    changes++;
                    outcomes[i] = Drop(DropReason.Duplicate);
                    continue;
                case EventAdmission.Late:
                    changes++;
                    outcomes[i] = Drop(DropReason.LateDuplicate);
                    continue;
                case EventAdmission.OptedOut:
                    Interlocked.Increment(ref counters.Suppressions[(int)SuppressionReason.OptedOut]);
                    outcomes[i] = Drop(DropReason.OptedOut);
                    continue;
            }

            var step = _step ??= _context.Executor.CreateRequest();
            if (!Prepare(e, step, out var prepared))
            {
                changes++;
                outcomes[i] = Drop(DropReason.NonFiniteFeatures);
                continue;
            }

            StepOutput output;
            using (var stepSpan = MicroMomentActivities.StartChild(MicroMomentActivities.ModelStep))
            {
                // The executor links its batch span to the steps it ran (see ModelExecutor); the step names the batch.
                step.Trace = stepSpan?.Context ?? default;
                output = await _context.Executor.StepAsync(step).ConfigureAwait(true);
                if (stepSpan is { IsAllDataRequested: true } && step.BatchSpan != default) stepSpan.SetTag(MicroMomentActivities.BatchSpanTag, step.BatchSpan.ToHexString());
            }

            long turnStart = Stopwatch.GetTimestamp();
            var score = Score(e, hasId, idHash, output, prepared);
            var decision = await DecideAsync(e, score).ConfigureAwait(true);
            AppendTimeline(e, score, decision);
            changes++;
            Interlocked.Increment(ref counters.Status[(int)IngestStatus.Accepted]);
            outcomes[i] = new IngestOutcome(IngestStatus.Accepted, null, score, decision);
            if (span is { IsAllDataRequested: true }) span.SetTag(MicroMomentActivities.OutcomeTag, decision.Offer is not null ? "offer" : "accepted");
            _context.Grains.RecordTurn(Stopwatch.GetTimestamp() - turnStart);
        }

        try
        {
            await _checkpoint.ChangedAsync(changes).ConfigureAwait(true);
        }
        catch (Exception)
        {
            // Every-event durability and the write failed: nothing of this call is acknowledged. The activation drops its
            // memory (which holds the unwritten events) so a retry starts from the last written state.
            _discard = true;
            DeactivateOnIdle();
            for (int i = 0; i < outcomes.Length; i++)
            {
                if (outcomes[i].Status is IngestStatus.Accepted or IngestStatus.Duplicate) outcomes[i] = Drop(DropReason.StorageUnavailable);
            }
        }

        return outcomes;
    }

    /// <inheritdoc/>
    public async Task<UserView?> GetViewAsync()
    {
        _lastTouchedTicks = _context.NowTicks;
        var state = State;
        if (state.IsEmpty)
        {
            DeactivateOnIdle();
            return null;
        }

        var offers = state.TriggerActive ? await _trigger!.GetOffersAsync().ConfigureAwait(true) : [];
        long now = _context.NowTicks;
        var timeline = new TimelineEvent[state.TimelineCount];
        var decisions = new List<TriggerDecision>(Math.Min(RecentDecisionCount, state.TimelineCount));
        if (state.Network is { } network && state.TimelineCount > 0)
        {
            int h = _context.HiddenSize;
            double max = network[3 * h], sum = network[3 * h + 1];
            for (int i = 0; i < state.TimelineCount; i++)
            {
                ref TimelineEntry t = ref state.Timeline![(state.TimelineStart + i) % state.Timeline.Length];
                float weight = sum > 0 ? (float)(Math.Exp(t.AttentionLogit - max) / sum) : 0f;
                timeline[i] = new TimelineEvent(t.EventId, new DateTime(t.Ticks, DateTimeKind.Utc), t.Type, t.ProductId, t.CategoryId, t.Buy, t.Exit, weight);
                if (i >= state.TimelineCount - RecentDecisionCount && t.Decision is { } d) decisions.Add(Current(d, offers));
            }
        }

        bool live = SessionLive(now);
        var active = new List<Offer>();
        if (live)
        {
            foreach (var snapshot in offers)
            {
                if (snapshot.SessionStartTicks == state.SessionStartTicks && snapshot.Offer.State is OfferState.Proposed or OfferState.Shown) active.Add(snapshot.Offer);
            }
        }

        return new UserView(
            _tenant,
            _userId,
            state.Consent,
            state.SessionLength > 0 ? new DateTime(state.SessionStartTicks, DateTimeKind.Utc) : null,
            timeline,
            state.HasLatest ? state.Latest : null,
            state.HasLatest ? _clusters?.NameOf(state.Latest.Cluster) : null,
            state.HasLatest ? state.Latest.Intent : Intent.Research,
            active,
            decisions,
            state.EventsApplied,
            state.DuplicatesDropped)
        {
            TimeZone = _timeZone.Id,
            SessionOpen = live,
            LastEventAppliedAt = state.LastEventAppliedTicks > 0 ? new DateTimeOffset(state.LastEventAppliedTicks, TimeSpan.Zero) : null,
        };
    }

    /// <inheritdoc/>
    public async Task SetConsentAsync(Consent consent)
    {
        _lastTouchedTicks = _context.NowTicks;
        ArgumentNullException.ThrowIfNull(consent);
        var state = State;
        if (!consent.Tracking)
        {
            // Withdrawing tracking erases everything but the withdrawal itself.
            if (state.TriggerActive) await _trigger!.EraseAsync().ConfigureAwait(true);
            var fresh = new UserState();
            _store.State = _state = fresh;
            _timeZone.Clear();
            _sessionTracked = false;
            state = fresh;
        }

        state.Consent = consent;
        if (_context.Persistent)
        {
            if (state.IsEmpty) await ClearStoredAsync().ConfigureAwait(true);
            else await _checkpoint.WriteAsync().ConfigureAwait(true);
        }
    }

    /// <inheritdoc/>
    public async Task<bool> EraseAsync()
    {
        bool existed = !State.IsEmpty;
        if (await _trigger!.EraseAsync().ConfigureAwait(true)) existed = true;
        _store.State = _state = new UserState();
        _timeZone.Clear();
        _sessionTracked = false;
        if (_context.Persistent) await ClearStoredAsync().ConfigureAwait(true);
        _discard = true;
        DeactivateOnIdle();
        return existed;
    }

    /// <inheritdoc/>
    public Task<FeedbackOutcome> RecordFeedbackAsync(string offerId, OfferFeedback feedback, DateTime at)
    {
        _lastTouchedTicks = _context.NowTicks;
        return State.TriggerActive ? _trigger!.RecordFeedbackAsync(offerId, feedback, at) : Task.FromResult(FeedbackOutcome.UnknownOffer);
    }

    /// <inheritdoc/>
    public async Task MaintainAsync()
    {
        if (State.TriggerActive) await _trigger!.ExpireAsync().ConfigureAwait(true);
        if (_context.NowTicks - _lastTouchedTicks <= _context.IdleTimeout.Ticks) return;
        Volatile.Write(ref _leaving, true);
        DeactivateOnIdle();
    }

    /// <summary>True once the grain asked to leave memory (it is removed from the live shoppers when it has).</summary>
    public bool LeavingMemory => Volatile.Read(ref _leaving);

    /// <inheritdoc/>
    public async Task FlushAsync()
    {
        await _checkpoint.FlushAsync().ConfigureAwait(true);
        if (State.TriggerActive) await _trigger!.FlushAsync().ConfigureAwait(true);
    }

    /// <inheritdoc/>
    public Task WatchOffersAsync(IOfferObserver observer) => _trigger!.WatchAsync(observer);

    /// <inheritdoc/>
    public Task UnwatchOffersAsync(IOfferObserver observer) => _trigger!.UnwatchAsync(observer);

    // ------------------------------------------------------------------ census (read outside the grain's turns)

    /// <summary>
    /// The latest score while the session is live by the silo clock (its last event applied at most the model's session
    /// timeout before <paramref name="nowTicks"/>), else null.
    /// </summary>
    public EventScore? LiveSessionScore(long nowTicks)
    {
        var state = State;
        return state.HasLatest && SessionLive(nowTicks) ? state.Latest : null;
    }

    /// <summary>True when the grain holds a session (live or gone idle).</summary>
    public bool HasSession => State.HasLatest && State.SessionLength > 0;

    // ------------------------------------------------------------------ per-event phases

    /// <summary>
    /// Decides whether to score an event: opted-out shoppers' events are dropped; an id applied before is a duplicate
    /// (counted). The grain remembers only its last <see cref="SiloOptions.DedupCapacity"/> ids, so once that memory is
    /// full an event with an id it does not remember that is older than the newest event it applied is treated as a
    /// re-delivery too (<see cref="EventAdmission.Late"/>): it cannot prove the id new, and applying it out of order
    /// would corrupt the session anyway. Events without an id are never de-duplicated.
    /// </summary>
    private EventAdmission Admit(bool hasId, ulong idHash, long timestampTicks)
    {
        var state = State;
        if (!state.Consent.Tracking) return EventAdmission.OptedOut;
        if (hasId && state.RecentIds is { } ids)
        {
            if (ids.AsSpan(0, state.RecentCount).Contains(idHash))
            {
                state.DuplicatesDropped++;
                return EventAdmission.Duplicate;
            }

            if (state.RecentCount >= _context.Options.DedupCapacity && timestampTicks < state.LastEventTicks)
            {
                state.DuplicatesDropped++;
                return EventAdmission.Late;
            }
        }

        return EventAdmission.Proceed;
    }

    /// <summary>
    /// Sessionizes the event and writes its model input into <paramref name="step"/>; false when the input is not finite
    /// (the session is then reset: its state would be corrupt). Allocates only the network state on the first event.
    /// </summary>
    private bool Prepare(in ClickEvent e, StepRequest step, out PreparedEvent prepared)
    {
        var state = State;
        var model = _context.Model;
        if (state.Network is null)
        {
            state.Network = new float[_context.StateSize];
            model.Network.ResetState(state.Network);
            state.Features = default;
            state.SessionLength = 0;
            state.ModelVersion = model.Info.Version;
        }

        bool newSession = SessionScorer.Prepare(
            model, ref state.Features, state.Network, ref state.LastEventTicks, ref state.SessionLength, e, step.Input, out int cluster, out int position);
        if (newSession)
        {
            CloseSession();
            _sessionTracked = true;
            state.SessionStartTicks = e.Timestamp.Ticks;
            state.TimelineCount = 0;
            state.TimelineStart = 0;
        }

        prepared = new PreparedEvent(newSession, cluster, position);
        if (IsFinite(step.Input))
        {
            step.State = state.Network;
            return true;
        }

        state.Features = default;
        model.Network.ResetState(state.Network);
        state.SessionLength = 0;
        state.TimelineCount = 0;
        state.TimelineStart = 0;
        return false;
    }

    /// <summary>Calibrates the step's logits and records the event as applied (id ring, counters, latest score).</summary>
    private EventScore Score(in ClickEvent e, bool hasId, ulong idHash, in StepOutput output, in PreparedEvent prepared)
    {
        var state = State;
        var score = SessionScorer.Complete(_context.Model, output, prepared.Cluster, prepared.Position, prepared.NewSession);
        if (hasId) RememberId(idHash);
        Volatile.Write(ref state.EventsApplied, state.EventsApplied + 1);
        state.LastEventAppliedTicks = _context.NowTicks;
        state.Latest = score;
        state.HasLatest = true;
        if (e.Type == EventType.Purchase) _sessionPurchased = true;
        if (!_timeZone.Observe(e.Context.TimeZone)) Interlocked.Increment(ref _context.Counters.UnknownTimeZones);
        state.TimeZoneId = _timeZone.Id;
        return score;
    }

    /// <summary>
    /// The trigger's decision: asked of the trigger grain when some rule's signal reaches its threshold, or for a
    /// purchase once the trigger holds state (attribution and conversions); otherwise the quiet reason, with the event
    /// counted as skipped for the trigger's gate histories.
    /// </summary>
    private async ValueTask<TriggerDecision> DecideAsync(ClickEvent e, EventScore score)
    {
        var state = State;
        var policy = _context.Policy;
        bool purchase = e.Type == EventType.Purchase;
        if (RuleEvaluator.AnyAbove(policy, score) || (purchase && state.TriggerActive))
        {
            var request = new TriggerRequest(
                score, state.Features.HasCart, e.Timestamp.Ticks, state.SessionStartTicks, e.Context.Page, state.Consent, purchase, _timeZone.Id,
                state.TriggerSkipped, Subject(e))
            {
                Sequence = state.EventsApplied,
                EventKey = EventKeyOf(e),
            };
            var decision = await _trigger!.DecideAsync(request).ConfigureAwait(true);
            state.TriggerActive = true;
            state.TriggerSkipped = 0;
            if (decision.Offer is not null) _sessionOffers++;
            return decision;
        }

        if (state.TriggerActive) state.TriggerSkipped++;
        var reason = RuleEvaluator.Quiet(policy, state.Consent);
        Interlocked.Increment(ref _context.Counters.Suppressions[(int)reason]);
        return TriggerPolicy.Suppression(reason);
    }

    /// <summary>What an offer fired now would be about: the most revisited product and category, with code and price band.</summary>
    private OfferSubject Subject(in ClickEvent e)
    {
        var state = State;
        long product = state.Features.MostRevisitedProduct();
        long category = state.Features.MostRevisitedCategory();
        if (product == 0) product = e.ProductId;
        if (category == 0) category = e.CategoryId;
        string? code = e.CategoryId == category ? e.CategoryCode : null;
        float price = e.ProductId == product && e.HasPrice ? e.Price : float.NaN;
        for (int i = state.TimelineCount - 1; i >= 0 && (code is null || float.IsNaN(price)); i--)
        {
            ref TimelineEntry t = ref state.Timeline![(state.TimelineStart + i) % state.Timeline.Length];
            if (code is null && t.CategoryId == category && t.CategoryCode is not null) code = t.CategoryCode;
            if (float.IsNaN(price) && t.ProductId == product && float.IsFinite(t.Price) && t.Price > 0) price = t.Price;
        }

        return new OfferSubject(product, category, code, PriceBand(price, state.Features.MinPrice, state.Features.MaxPrice));
    }

    /// <summary>"low", "mid" or "high": where the price sits in the session's price range (thirds); null without a price.</summary>
    internal static string? PriceBand(float price, float min, float max)
    {
        if (!float.IsFinite(price) || price <= 0) return null;
        if (!float.IsFinite(min) || !float.IsFinite(max) || max <= min) return "mid";
        float at = (price - min) / (max - min);
        return at < 1f / 3 ? "low" : at < 2f / 3 ? "mid" : "high";
    }

    /// <summary>A key that tells a replayed event from another event at the same position (its id, else its time and kind).</summary>
    private static ulong EventKeyOf(in ClickEvent e) =>
        e.EventId is { } id ? StableHash.Of(id) : (ulong)e.Timestamp.Ticks ^ ((ulong)e.Type << 56) ^ (ulong)e.ProductId * 0x9E3779B97F4A7C15UL;

    private void AppendTimeline(in ClickEvent e, in EventScore score, TriggerDecision decision)
    {
        ref TimelineEntry entry = ref NextTimelineSlot();
        entry.EventId = e.EventId;
        entry.CategoryCode = e.CategoryCode;
        entry.Decision = decision;
        entry.Ticks = e.Timestamp.Ticks;
        entry.ProductId = e.ProductId;
        entry.CategoryId = e.CategoryId;
        entry.Price = e.Price;
        entry.Buy = score.BuyProbability;
        entry.Exit = score.ExitProbability;
        entry.AttentionLogit = score.AttentionLogit;
        entry.Type = e.Type;
    }

    private ref TimelineEntry NextTimelineSlot()
    {
        var state = State;
        int capacity = _context.Options.TimelineCapacity;
        if (state.Timeline is null || (state.TimelineCount == state.Timeline.Length && state.Timeline.Length < capacity))
        {
            var grown = new TimelineEntry[Math.Min(capacity, Math.Max(1, (state.Timeline?.Length ?? 0) * 2))];
            for (int i = 0; i < state.TimelineCount; i++) grown[i] = state.Timeline![(state.TimelineStart + i) % state.Timeline.Length];
            state.Timeline = grown;
            state.TimelineStart = 0;
        }

        if (state.TimelineCount == state.Timeline.Length)
        {
            // Full at capacity: overwrite the oldest.
            int slot = state.TimelineStart;
            state.TimelineStart = (state.TimelineStart + 1) % state.Timeline.Length;
            state.Timeline[slot] = default;
            return ref state.Timeline[slot];
        }

        int next = (state.TimelineStart + state.TimelineCount++) % state.Timeline.Length;
        return ref state.Timeline[next];
    }

    private void RememberId(ulong hash)
    {
        var state = State;
        int capacity = _context.Options.DedupCapacity;
        if (state.RecentIds is null || (state.RecentCount == state.RecentIds.Length && state.RecentIds.Length < capacity))
        {
            // Grow (doubling, up to the capacity) while the ring has not wrapped yet, keeping insertion order.
            var grown = new ulong[Math.Min(capacity, Math.Max(4, (state.RecentIds?.Length ?? 0) * 2))];
            if (state.RecentIds is not null) Array.Copy(state.RecentIds, grown, state.RecentCount);
            state.RecentIds = grown;
            state.RecentNext = state.RecentCount;
        }

        state.RecentIds[state.RecentNext] = hash;
        state.RecentNext = (state.RecentNext + 1) % state.RecentIds.Length;
        if (state.RecentCount < state.RecentIds.Length) state.RecentCount++;
    }

    private bool SessionLive(long nowTicks)
    {
        var state = State;
        return state.SessionLength > 0 && state.LastEventAppliedTicks > 0 && nowTicks - state.LastEventAppliedTicks <= _context.Model.SessionTimeout.Ticks;
    }

    /// <summary>A decision as it stands now: a fired offer in its current state (it may have been shown, resolved or expired since).</summary>
    private static TriggerDecision Current(TriggerDecision decision, OfferSnapshot[] offers)
    {
        if (decision.Offer is not { } offer) return decision;
        foreach (var snapshot in offers)
        {
            if (string.Equals(snapshot.Offer.Id, offer.Id, StringComparison.Ordinal))
                return ReferenceEquals(snapshot.Offer, offer) || snapshot.Offer == offer ? decision : decision with { Offer = snapshot.Offer };
        }

        return decision;
    }

    /// <summary>Reports the current session as closed to the counters when this activation saw it start; then forgets it.</summary>
    private void CloseSession()
    {
        if (_sessionTracked) _context.Counters.CloseSession(_sessionOffers, _sessionPurchased);
        _sessionTracked = false;
        _sessionOffers = 0;
        _sessionPurchased = false;
    }

    private static void DropSession(UserState state)
    {
        state.Network = null;
        state.ModelVersion = null;
        state.Features = default;
        state.LastEventTicks = 0;
        state.SessionLength = 0;
        state.SessionStartTicks = 0;
        state.Latest = default;
        state.HasLatest = false;
        state.Timeline = null;
        state.TimelineStart = 0;
        state.TimelineCount = 0;
    }

    private async Task ClearStoredAsync()
    {
        await _store.ClearStateAsync().ConfigureAwait(true);
        _checkpoint.Reset();
        Interlocked.Increment(ref _context.Counters.WritesCommitted);
    }

    private IngestOutcome Drop(DropReason reason)
    {
        _context.Counters.Count(reason);
        return DropReasons.Outcome(reason);
    }

    private static bool IsFinite(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) return false;
        }

        return true;
    }
}
