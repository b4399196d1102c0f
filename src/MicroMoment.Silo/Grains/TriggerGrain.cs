using System.Globalization;
using MicroMoment.Grains;
using MicroMoment.Silo.Triggers;
using Orleans.Placement;

namespace MicroMoment.Silo.Grains;

/// <summary>
/// The trigger of one shopper (key <c>tenant/user</c>). Its user grain is the only caller of
/// <see cref="DecideAsync"/> (and forwards feedback and offer watches), so with <see cref="PreferLocalPlacementAttribute"/>
/// it is activated on the silo of its user grain. It runs the policy (<see cref="RuleEvaluator"/>) over the gate state,
/// fires offers with ids that name this grain, expires proposals by the silo clock, attributes purchases, counts
/// experiments and pushes each offer to the gateways that watch the shopper.
/// </summary>
[PreferLocalPlacement]
internal sealed class TriggerGrain : Grain, ITriggerGrain
{
    private readonly IPersistentState<TriggerGrainState> _store;
    private readonly SiloContext _context;
    private readonly Checkpointer<TriggerGrainState> _checkpoint;
    private readonly Dictionary<IOfferObserver, long> _watchers = [];
    private ShopperTimeZone _zone;
    private IGrainTimer? _expiry;
    private string _key = "";
    private string _tenant = "";
    private string _userId = "";

    /// <summary>Creates the grain (Orleans does, on its user grain's first call).</summary>
    public TriggerGrain([PersistentState("trigger", UserGrain.StorageName)] IPersistentState<TriggerGrainState> store, SiloContext context)
    {
        _store = store;
        _context = context;
        _checkpoint = new Checkpointer<TriggerGrainState>(this, store, context, "trigger grain");
    }

    private TriggerGrainState State => _store.State;

    /// <inheritdoc/>
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = this.GetPrimaryKeyString();
        (_tenant, _userId) = GrainKeys.Split(_key);
        // Proposals that came due while the grain was not active expire now; later ones on their timer.
        ExpireDue(_context.Policy, _context.NowTicks);
        ScheduleExpiry();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        try
        {
            await _checkpoint.FlushAsync().ConfigureAwait(true);
        }
        catch (Exception)
        {
            // Counted and logged by the checkpointer.
        }
    }

    /// <inheritdoc/>
    public async Task<TriggerDecision> DecideAsync(TriggerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var span = MicroMomentActivities.StartChild(MicroMomentActivities.TriggerDecide);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(MicroMomentActivities.SiloTag, _context.SiloAddress);
            span.SetTag(MicroMomentActivities.TenantTag, _tenant);
        }

        var state = State;
        if (state.Replayed(request.Sequence, request.EventKey) is { } earlier)
        {
            if (span is { IsAllDataRequested: true }) span.SetTag(MicroMomentActivities.OutcomeTag, "replayed");
            return earlier;
        }

        var policy = _context.Policy;
        long now = _context.NowTicks;
        var counters = _context.Counters;
        int changes = ExpireDue(policy, now) + 1;
        state.State.SkipBelowThreshold(request.Skipped);
        if (request.IsPurchase)
        {
            int conversions = policy.Experiments.Count == 0
                ? state.AttributePurchase(request.EventTicks, policy.AttributionWindow)
                : state.AttributePurchase(request.EventTicks, policy.AttributionWindow, record => CountFeedback(policy, record.Rule, ExperimentMetric.AttributedOffers));
            if (conversions > 0) Interlocked.Add(ref counters.OffersAttributed, conversions);
        }

        _zone.Observe(request.TimeZoneId);
        var input = new TriggerInput(
            request.Score, request.HasCart, request.EventTicks, request.SessionStartTicks, request.Page, request.Consent, request.IsPurchase, _tenant, _userId,
            _zone.Zone);
        var suppressed = RuleEvaluator.Evaluate(policy, state.State, input, _context.Ledger, out int rule);
        TriggerDecision decision;
        if (suppressed is { } reason)
        {
            decision = TriggerPolicy.Suppression(reason);
            Interlocked.Increment(ref counters.Suppressions[(int)reason]);
            if (span is { IsAllDataRequested: true }) span.SetTag(MicroMomentActivities.OutcomeTag, decision.SuppressedBecause);
        }
        else
        {
            var offer = Fire(policy, request, rule, now);
            decision = new TriggerDecision(offer, null);
            Interlocked.Increment(ref counters.OffersFired);
            if (span is { IsAllDataRequested: true })
            {
                span.SetTag(MicroMomentActivities.OutcomeTag, "offer");
                span.SetTag(MicroMomentActivities.OfferTag, offer.Id);
            }

            Notify(offer, now);
            ScheduleExpiry();
        }

        state.Remember(request.Sequence, request.EventKey, decision);
        await _checkpoint.ChangedAsync(changes).ConfigureAwait(true);
        return decision;
    }

    /// <inheritdoc/>
    public async Task<FeedbackOutcome> RecordFeedbackAsync(string offerId, OfferFeedback feedback, DateTime at)
    {
        var policy = _context.Policy;
        int changes = ExpireDue(policy, _context.NowTicks);
        var outcome = State.Apply(offerId, feedback, out var record);
        if (outcome == FeedbackOutcome.Recorded && record is not null)
        {
            changes++;
            var metric = feedback switch
            {
                OfferFeedback.Shown => ExperimentMetric.Shows,
                OfferFeedback.Clicked => ExperimentMetric.Clicks,
                OfferFeedback.Dismissed => ExperimentMetric.Dismissals,
                _ => ExperimentMetric.AttributedOffers,
            };
            CountFeedback(policy, record.Rule, metric);
        }

        if (changes > 0) await _checkpoint.ChangedAsync(changes).ConfigureAwait(true);
        return outcome;
    }

    /// <inheritdoc/>
    public Task<OfferSnapshot[]> GetOffersAsync()
    {
        ExpireDue(_context.Policy, _context.NowTicks);
        var offers = State.Offers;
        var snapshots = new OfferSnapshot[offers.Count];
        for (int i = 0; i < snapshots.Length; i++) snapshots[i] = new OfferSnapshot(offers[i].Offer, offers[i].SessionStartTicks);
        return Task.FromResult(snapshots);
    }

    /// <inheritdoc/>
    public Task WatchAsync(IOfferObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        long now = _context.NowTicks;
        // Drop watches that were not renewed in time (a gateway that went away).
        List<IOfferObserver>? stale = null;
        foreach (var (watcher, until) in _watchers)
        {
            if (until < now) (stale ??= []).Add(watcher);
        }

        if (stale is not null) foreach (var watcher in stale) _watchers.Remove(watcher);
        _watchers[observer] = now + OfferWatch.Lifetime.Ticks;
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task UnwatchAsync(IOfferObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        _watchers.Remove(observer);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task FlushAsync() => _checkpoint.FlushAsync();

    /// <inheritdoc/>
    public async Task ExpireAsync()
    {
        int expired = ExpireDue(_context.Policy, _context.NowTicks);
        ScheduleExpiry();
        if (expired > 0) await _checkpoint.ChangedAsync(expired).ConfigureAwait(true);
    }

    /// <inheritdoc/>
    public async Task<bool> EraseAsync()
    {
        bool existed = !State.IsEmpty;
        _store.State = new TriggerGrainState();
        _checkpoint.Reset();
        if (_context.Persistent)
        {
            await _store.ClearStateAsync().ConfigureAwait(true);
            Interlocked.Increment(ref _context.Counters.WritesCommitted);
        }

        _expiry?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return existed;
    }

    /// <summary>
    /// Expires the proposals older than the policy's time to live at <paramref name="nowTicks"/> (silo clock) and counts
    /// each once, in the silo's expired-offers counter and in the experiment counters of the rule that fired it, so
    /// statistics and experiments agree; returns how many expired. Nothing due allocates nothing.
    /// </summary>
    private int ExpireDue(Policy policy, long nowTicks)
    {
        var state = State;
        if (state.OldestProposalTicks() is not { } oldest || nowTicks - oldest <= policy.ProposalTimeToLive.Ticks) return 0;
        int expired = policy.Experiments.Count == 0
            ? state.ExpireProposals(nowTicks, policy.ProposalTimeToLive)
            : state.ExpireProposals(nowTicks, policy.ProposalTimeToLive, record => CountFeedback(policy, record.Rule, ExperimentMetric.Expirations));
        if (expired > 0) Interlocked.Add(ref _context.Counters.OffersExpired, expired);
        return expired;
    }

    /// <summary>Arms the expiry timer for the oldest waiting proposal (a one-shot grain timer; none while nothing waits).</summary>
    private void ScheduleExpiry()
    {
        if (State.OldestProposalTicks() is not { } oldest) return;
        long due = oldest + _context.Policy.ProposalTimeToLive.Ticks + 1 - _context.NowTicks;
        var dueTime = TimeSpan.FromTicks(Math.Max(due, TimeSpan.TicksPerMillisecond));
        _expiry ??= this.RegisterGrainTimer(OnExpiryAsync, new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        _expiry.Change(dueTime, Timeout.InfiniteTimeSpan);
    }

    private async Task OnExpiryAsync(CancellationToken cancellationToken)
    {
        int expired = ExpireDue(_context.Policy, _context.NowTicks);
        ScheduleExpiry();
        if (expired > 0)
        {
            try
            {
                await _checkpoint.ChangedAsync(expired).ConfigureAwait(true);
            }
            catch (Exception)
            {
                // Counted and logged by the checkpointer; the expiry stays in memory and is written with the next change.
            }
        }
    }

    private Offer Fire(Policy policy, TriggerRequest request, int rule, long nowTicks)
    {
        var state = State;
        var r = policy.Rules[rule];
        var subject = request.Subject;
        string about = subject.ProductId != 0 ? string.Create(CultureInfo.InvariantCulture, $"product {subject.ProductId}")
            : subject.CategoryCode ?? (subject.CategoryId != 0 ? string.Create(CultureInfo.InvariantCulture, $"category {subject.CategoryId}") : "your picks");
        string message = r.Offer switch
        {
            OfferType.Discount => $"Complete your order now and save on {about}.",
            OfferType.Recommendation => $"Shoppers who liked {about} also chose these.",
            OfferType.Assist => $"Skip this step? We can fill in the rest for {about}.",
            _ => $"Still deciding? {char.ToUpperInvariant(about[0])}{about[1..]} is still here for you.",
        };
        var offer = new Offer(
            OfferKeys.Create(_key, state.NextSequence++), _tenant, _userId, r.Offer,
            new OfferPayload(subject.ProductId, subject.CategoryId, subject.CategoryCode, subject.PriceBand, message),
            request.Score.BuyProbability, request.Score.ExitProbability, request.Score.Cluster,
            TriggerPolicy.Explain(policy, rule, request.Score, request.HasCart),
            new DateTime(request.EventTicks, DateTimeKind.Utc), OfferState.Proposed, policy.Version);
        state.Add(new OfferRecord(offer, nowTicks, request.SessionStartTicks, r.Name), policy.OfferMemory);
        return offer;
    }

    /// <summary>Pushes an offer to every gateway that watches the shopper (one-way calls; a watch not renewed in time is dropped).</summary>
    private void Notify(Offer offer, long nowTicks)
    {
        if (_watchers.Count == 0) return;
        List<IOfferObserver>? stale = null;
        foreach (var (watcher, until) in _watchers)
        {
            if (until < nowTicks)
            {
                (stale ??= []).Add(watcher);
                continue;
            }

            _ = watcher.OnOfferAsync(offer);
        }

        if (stale is not null) foreach (var watcher in stale) _watchers.Remove(watcher);
    }

    private void CountFeedback(Policy policy, string rule, ExperimentMetric metric)
    {
        foreach (var experiment in policy.Experiments)
        {
            if (experiment.Governs(rule)) _context.Ledger.Count(experiment.Name, RuleEvaluator.VariantName(experiment, _tenant, _userId), metric);
        }
    }
}
