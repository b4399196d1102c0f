using System.Globalization;
using MicroMoment.Events;
using MicroMoment.Features;
using MicroMoment.Model;
using MicroMoment.Scoring;
using MicroMoment.Silo.Runtime;
using MicroMoment.Silo.Storage;
using MicroMoment.Silo.Triggers;

namespace MicroMoment.Silo.Grains;

/// <summary>
/// The grain of one shopper (key: tenant/user): the live session (sessionized with the model's timeout), its
/// feature state, the LSTM and online-attention state, the latest score, a bounded timeline of the session's
/// events with their scores and attention logits, a ring of recently applied event ids, consent, counters and
/// the co-located <see cref="TriggerGrain"/>. It knows nothing of queues, threads or storage: the partition
/// worker hands it one message at a time (turn-based, so no locks) and asks it for its bytes.
/// </summary>
/// <remarks>
/// Scoring runs in the three phases of <see cref="SessionScorer"/>: <see cref="Prepare"/> encodes the event,
/// the runtime steps the network (for many grains in one batched product), <see cref="Complete"/> calibrates,
/// records and decides. The arrays for the network state, the timeline and the id ring are created on first use
/// and grow to their bounds, so a grain that saw one event holds little beyond the network state.
/// </remarks>
internal sealed class UserGrain
{
    // 4: consent as a set of named categories and the shopper's time zone; 3 (two consent flags, no zone) is still read.
    private const byte FormatVersion = 4;
    private const byte PreviousFormatVersion = 3;
    private const int RecentDecisionCount = 8;

    private Consent _consent = Consent.Default;
    private ShopperTimeZone _timeZone;
    private SessionFeatureState _features;
    private float[]? _network;
    private long _lastEventTicks;
    private int _sessionLength;
    private long _sessionStartTicks;
    private EventScore _latest;
    private bool _hasLatest;
    private TimelineEntry[]? _timeline;
    private int _timelineStart;
    private int _timelineCount;
    private ulong[]? _recentIds;
    private int _recentNext;
    private int _recentCount;
    private TriggerGrain? _trigger;
    private long _eventsApplied;
    private long _duplicatesDropped;

    // Monitoring of the current session (not persisted: a session restored from storage mid-way is not counted).
    private bool _sessionTracked;
    private int _sessionOffers;
    private bool _sessionPurchased;

    /// <summary>Creates the grain with no state (a new shopper, or before <see cref="Load"/>).</summary>
    public UserGrain(GrainKey key, ulong keyHash, int partition)
    {
        Key = key;
        KeyHash = keyHash;
        Partition = partition;
    }

    /// <summary>Tenant and user.</summary>
    public GrainKey Key { get; }

    /// <summary>The stable hash of the key (routing, offer ids, storage index).</summary>
    public ulong KeyHash { get; }

    /// <summary>The partition that owns the grain.</summary>
    public int Partition { get; }

    /// <summary>The shopper's consent.</summary>
    public Consent Consent => _consent;

    /// <summary>Events applied over the grain's life.</summary>
    public long EventsApplied => _eventsApplied;

    /// <summary>
    /// True while the session is live by the silo clock: it has events and this grain applied the last of them at most the
    /// model's session timeout before <paramref name="nowTicks"/>. Sessions are cut by event time when the next event
    /// arrives; until then a session whose shopper went quiet would stay "open" for ever, so the census and the view ask
    /// the clock. A grain restored from storage counts as idle until its next event (when the last one was applied is not
    /// stored).
    /// </summary>
    public bool SessionLive(GrainContext context, long nowTicks) =>
        _sessionLength > 0 && LastEventAppliedTicks > 0 && nowTicks - LastEventAppliedTicks <= context.Model.SessionTimeout.Ticks;

    /// <summary>The latest score while the session is live (<see cref="SessionLive"/>; for the census), else null.</summary>
    public EventScore? LiveSessionScore(GrainContext context, long nowTicks) => _hasLatest && SessionLive(context, nowTicks) ? _latest : null;

    /// <summary>True when the session holds events (live or gone idle).</summary>
    public bool HasSession => _hasLatest && _sessionLength > 0;

    /// <summary>Duplicates dropped over the grain's life.</summary>
    public long DuplicatesDropped => _duplicatesDropped;

    /// <summary>True when the grain holds nothing worth keeping (default consent, no events, no offers; a time zone comes only with events).</summary>
    public bool IsEmpty => _network is null && _trigger is null && _recentCount == 0 && _eventsApplied == 0 && _duplicatesDropped == 0 && _consent == Consent.Default;

    /// <summary>The grain's network state (allocated by <see cref="Prepare"/>).</summary>
    public Span<float> NetworkState => _network;

    /// <summary>The trigger state, or null before the first offer.</summary>
    public TriggerGrain? Trigger => _trigger;

    // ---- Runtime bookkeeping, owned by the partition worker (not grain state, never persisted). ----

    /// <summary>Next grain towards the most recently used end of the partition's activation list.</summary>
    internal UserGrain? Newer;

    /// <summary>Next grain towards the least recently used end.</summary>
    internal UserGrain? Older;

    /// <summary>Silo-clock ticks of the last message.</summary>
    internal long LastTouchedTicks;

    /// <summary>Silo-clock ticks at which this activation last applied an event (0: none since it was activated).</summary>
    internal long LastEventAppliedTicks;

    /// <summary>True when the state changed since it was last handed to storage.</summary>
    internal bool Dirty;

    /// <summary>The batch the wave counter below belongs to.</summary>
    internal int BatchStamp;

    /// <summary>Events of this grain seen so far in the current batch (its next wave index).</summary>
    internal int BatchWaves;

    /// <summary>
    /// Decides whether to score an event: opted-out shoppers' events are dropped; an id applied before is a
    /// duplicate (counted). <paramref name="eventIdHash"/> is the stable hash of the id, ignored without one.
    /// The grain remembers only its last <see cref="GrainContext.DedupCapacity"/> ids, so once that memory is full an
    /// event with an id it does not remember that is older than the newest event it applied is treated as a
    /// re-delivery too (<see cref="EventAdmission.Late"/>): it cannot prove the id new, and applying it out of order
    /// would corrupt the session anyway. Events without an id are never de-duplicated.
    /// </summary>
    public EventAdmission Admit(GrainContext context, bool hasId, ulong eventIdHash, long timestampTicks)
    {
        if (!_consent.Tracking) return EventAdmission.OptedOut;
        if (hasId && _recentIds is { } ids)
        {
            if (ids.AsSpan(0, _recentCount).Contains(eventIdHash))
            {
                _duplicatesDropped++;
                return EventAdmission.Duplicate;
            }

            if (_recentCount >= context.DedupCapacity && timestampTicks < _lastEventTicks)
            {
                _duplicatesDropped++;
                return EventAdmission.Late;
            }
        }

        return EventAdmission.Proceed;
    }

    /// <summary>
    /// Phase one: sessionizes the event and writes its model input (see <see cref="SessionScorer.Prepare"/>).
    /// Returns false when the input is not finite; the session is then reset (its state would be corrupt).
    /// Allocates only the network state on the grain's first event.
    /// </summary>
    public bool Prepare(GrainContext context, in ClickEvent e, Span<float> input, out PreparedEvent prepared)
    {
        if (_network is null)
        {
            _network = new float[context.StateSize];
            context.Model.Network.ResetState(_network);
            _features = default;
            _sessionLength = 0;
        }

        bool newSession = SessionScorer.Prepare(
            context.Model, ref _features, _network, ref _lastEventTicks, ref _sessionLength, e, input, out int cluster, out int position);
        if (newSession)
        {
            CloseSession(context.Counters);
            _sessionTracked = true;
            _sessionStartTicks = e.Timestamp.Ticks;
            _timelineCount = 0;
            _timelineStart = 0;
        }

        prepared = new PreparedEvent(newSession, cluster, position);
        if (IsFinite(input)) return true;
        ResetSession(context);
        return false;
    }

    /// <summary>
    /// Phase three, after the network stepped <see cref="NetworkState"/> on the prepared input: calibrates,
    /// remembers the event id, appends to the timeline, attributes a purchase to shown offers and lets the
    /// trigger decide. Allocates only when an offer fires (and when the bounded arrays first grow).
    /// </summary>
    public EventScore Complete(
        GrainContext context, in ClickEvent e, bool hasId, ulong eventIdHash, in StepOutput output, in PreparedEvent prepared,
        long nowTicks, out TriggerDecision decision, out SuppressionReason? suppressed, out int conversions, out int expired)
    {
        EventScore score = SessionScorer.Complete(context.Model, output, prepared.Cluster, prepared.Position, prepared.NewSession);
        if (hasId) RememberId(context, eventIdHash);
        _eventsApplied++;
        LastEventAppliedTicks = nowTicks;
        _latest = score;
        _hasLatest = true;

        conversions = 0;
        expired = 0;
        var policy = context.Policy;
        if (_trigger is not null)
        {
            expired = ExpireProposals(context, nowTicks);
            if (e.Type == EventType.Purchase) conversions = Attribute(context, policy, e.Timestamp.Ticks);
        }

        if (!_timeZone.Observe(e.Context.TimeZone) && context.Counters is { } counters) Interlocked.Increment(ref counters.UnknownTimeZones);
        var input = new TriggerInput(
            score, _features.HasCart, e.Timestamp.Ticks, _sessionStartTicks, e.Context.Page, _consent, e.Type == EventType.Purchase, Key.Tenant, Key.UserId,
            _timeZone.Zone);
        int rule = -1;
        if (_trigger is null && !RuleEvaluator.AnyAbove(policy, score))
            suppressed = RuleEvaluator.Quiet(policy, input);
        else
            suppressed = RuleEvaluator.Evaluate(policy, (_trigger ??= new TriggerGrain()).State, input, context.Ledger, out rule);
        decision = suppressed is { } reason ? TriggerPolicy.Suppression(reason) : new TriggerDecision(Fire(context, policy, e, score, rule, nowTicks), null);
        if (decision.Offer is not null) _sessionOffers++;
        if (e.Type == EventType.Purchase) _sessionPurchased = true;

        ref TimelineEntry entry = ref AppendTimeline(context);
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
        return score;
    }

    /// <summary>
    /// Expires the proposals older than the policy's time to live at <paramref name="nowTicks"/> (silo clock) and counts
    /// each once, in the silo's expired-offers counter and in the experiment counters of the rule that fired it, so
    /// statistics and experiments agree; returns how many expired.
    /// </summary>
    public int ExpireProposals(GrainContext context, long nowTicks)
    {
        // The common case (nothing due) allocates nothing: this runs on every event of a shopper who got an offer.
        if (_trigger?.OldestProposalTicks() is not { } oldest) return 0;
        var policy = context.Policy;
        if (nowTicks - oldest <= policy.ProposalTimeToLive.Ticks) return 0;
        int expired = ExpireAndCount(context, policy, nowTicks);
        if (expired > 0 && context.Counters is { } counters) Interlocked.Add(ref counters.OffersExpired, expired);
        return expired;
    }

    private int ExpireAndCount(GrainContext context, Policy policy, long nowTicks) =>
        _trigger!.ExpireProposals(nowTicks, policy.ProposalTimeToLive,
            policy.Experiments.Count == 0 ? null : record => CountFeedback(context, policy, record.Rule, ExperimentMetric.Expirations));

    /// <summary>The silo-clock time (UTC ticks) of the oldest proposal still waiting for "shown", or null.</summary>
    public long? OldestProposalTicks() => _trigger?.OldestProposalTicks();

    private int Attribute(GrainContext context, Policy policy, long eventTicks)
    {
        var trigger = _trigger!;
        if (policy.Experiments.Count == 0) return trigger.AttributePurchase(eventTicks, policy.AttributionWindow);
        return trigger.AttributePurchase(eventTicks, policy.AttributionWindow, record => CountFeedback(context, policy, record.Rule, ExperimentMetric.AttributedOffers));
    }

    private void CountFeedback(GrainContext context, Policy policy, string rule, ExperimentMetric metric)
    {
        foreach (var experiment in policy.Experiments)
        {
            if (experiment.Governs(rule)) context.Ledger.Count(experiment.Name, RuleEvaluator.VariantName(experiment, Key.Tenant, Key.UserId), metric);
        }
    }

    /// <summary>Applies client feedback to one of this grain's offers (after expiring stale proposals).</summary>
    public FeedbackOutcome RecordFeedback(GrainContext context, string offerId, OfferFeedback feedback, long nowTicks, out int expired)
    {
        expired = ExpireProposals(context, nowTicks);
        if (_trigger is null) return FeedbackOutcome.UnknownOffer;
        var outcome = _trigger.Apply(offerId, feedback, out var record);
        if (outcome == FeedbackOutcome.Recorded && record is not null)
        {
            var metric = feedback switch
            {
                OfferFeedback.Shown => ExperimentMetric.Shows,
                OfferFeedback.Clicked => ExperimentMetric.Clicks,
                OfferFeedback.Dismissed => ExperimentMetric.Dismissals,
                _ => ExperimentMetric.AttributedOffers,
            };
            CountFeedback(context, context.Policy, record.Rule, metric);
        }

        return outcome;
    }

    /// <summary>True when this grain remembers the offer.</summary>
    public bool HasOffer(string offerId) => _trigger?.Find(offerId) is not null;

    /// <summary>Sets consent; withdrawing tracking erases everything but the consent itself.</summary>
    public void SetConsent(Consent consent)
    {
        ArgumentNullException.ThrowIfNull(consent);
        if (!consent.Tracking) EraseData();
        _consent = consent;
    }

    /// <summary>The live view (after expiring stale proposals), or null when the grain holds nothing.</summary>
    public UserView? View(GrainContext context, long nowTicks)
    {
        if (IsEmpty) return null;
        ExpireProposals(context, nowTicks);
        var timeline = new TimelineEvent[_timelineCount];
        var decisions = new List<TriggerDecision>(Math.Min(RecentDecisionCount, _timelineCount));
        if (_network is not null && _timelineCount > 0)
        {
            int h = context.HiddenSize;
            double max = _network[3 * h], sum = _network[3 * h + 1];
            for (int i = 0; i < _timelineCount; i++)
            {
                ref TimelineEntry t = ref _timeline![(_timelineStart + i) % _timeline.Length];
                float weight = sum > 0 ? (float)(Math.Exp(t.AttentionLogit - max) / sum) : 0f;
                timeline[i] = new TimelineEvent(t.EventId, new DateTime(t.Ticks, DateTimeKind.Utc), t.Type, t.ProductId, t.CategoryId, t.Buy, t.Exit, weight);
                if (i >= _timelineCount - RecentDecisionCount && t.Decision is { } d) decisions.Add(Current(d));
            }
        }

        bool live = SessionLive(context, nowTicks);
        var active = new List<Offer>();
        if (_trigger is not null && live)
        {
            foreach (var record in _trigger.Offers)
            {
                if (record.SessionStartTicks == _sessionStartTicks && record.Offer.State is OfferState.Proposed or OfferState.Shown)
                    active.Add(record.Offer);
            }
        }

        return new UserView(
            Key.Tenant,
            Key.UserId,
            _consent,
            _sessionLength > 0 ? new DateTime(_sessionStartTicks, DateTimeKind.Utc) : null,
            timeline,
            _hasLatest ? _latest : null,
            _hasLatest ? context.Clusters.NameOf(_latest.Cluster) : null,
            _hasLatest ? _latest.Intent : Intent.Research,
            active,
            decisions,
            _eventsApplied,
            _duplicatesDropped)
        {
            TimeZone = _timeZone.Id,
            SessionOpen = live,
            LastEventAppliedAt = LastEventAppliedTicks > 0 ? new DateTimeOffset(LastEventAppliedTicks, TimeSpan.Zero) : null,
        };
    }

    /// <summary>A decision as it stands now: a fired offer in its current state (it may have been shown, resolved or expired since).</summary>
    private TriggerDecision Current(TriggerDecision decision) =>
        decision.Offer is { } offer && _trigger?.Find(offer.Id) is { } record && !ReferenceEquals(record.Offer, offer) ? decision with { Offer = record.Offer } : decision;

    /// <summary>Writes the grain's state (see <see cref="Load"/> for the layout).</summary>
    public void Save(StateWriter w, GrainContext context)
    {
        w.Byte(FormatVersion);
        w.Bool(_consent.Tracking);
        w.Int(_consent.Categories.Count);
        foreach (var category in _consent.Categories) w.String(category);
        w.String(_timeZone.Id);
        w.Long(_eventsApplied);
        w.Long(_duplicatesDropped);

        w.Int(_recentCount);
        for (int i = 0; i < _recentCount; i++)
        {
            // Oldest first: the ring's next slot holds the oldest id once it is full.
            int slot = _recentCount < _recentIds!.Length ? i : (_recentNext + i) % _recentIds.Length;
            w.ULong(_recentIds[slot]);
        }

        w.Bool(_trigger is not null);
        if (_trigger is not null)
        {
            w.Int(_trigger.NextSequence);
            _trigger.State.Save(w);
            w.Int(_trigger.Offers.Count);
            foreach (var record in _trigger.Offers) SaveOffer(w, record);
        }

        w.Bool(_network is not null);
        if (_network is null) return;
        w.String(context.Model.Info.Version);
        Span<byte> features = stackalloc byte[SessionFeatureState.SizeInBytes];
        _features.WriteTo(features);
        w.Blob(features);
        w.Floats(_network);
        w.Long(_lastEventTicks);
        w.Int(_sessionLength);
        w.Long(_sessionStartTicks);
        w.Bool(_hasLatest);
        w.Float(_latest.BuyProbability);
        w.Float(_latest.ExitProbability);
        w.Int(_latest.Cluster);
        w.Float(_latest.AttentionLogit);
        w.Byte((byte)_latest.Intent);
        w.Int(_latest.Position);
        w.Bool(_latest.NewSession);
        // Category codes repeat within a session: a table of the distinct ones, then an index per event.
        var codes = new List<string>();
        for (int i = 0; i < _timelineCount; i++)
        {
            string? code = _timeline![(_timelineStart + i) % _timeline.Length].CategoryCode;
            if (code is not null && !codes.Contains(code)) codes.Add(code);
        }

        w.Int(codes.Count);
        foreach (var code in codes) w.String(code);
        w.Int(_timelineCount);
        for (int i = 0; i < _timelineCount; i++)
        {
            ref TimelineEntry t = ref _timeline![(_timelineStart + i) % _timeline.Length];
            w.String(t.EventId);
            w.Int(t.CategoryCode is null ? -1 : codes.IndexOf(t.CategoryCode));
            w.Long(t.Ticks);
            w.Long(t.ProductId);
            w.Long(t.CategoryId);
            w.Float(t.Price);
            w.Float(t.Buy);
            w.Float(t.Exit);
            w.Float(t.AttentionLogit);
            w.Byte((byte)t.Type);
            switch (t.Decision)
            {
                case null:
                    w.Byte(0);
                    break;
                case { Offer: { } offer }:
                    w.Byte(2);
                    w.String(offer.Id);
                    break;
                default:
                    w.Byte(1);
                    w.Byte((byte)TriggerPolicy.IndexOf(t.Decision));
                    break;
            }
        }
    }

    /// <summary>
    /// Restores what <see cref="Save"/> wrote. A session saved under another model version (or network shape) is
    /// dropped — its LSTM state means nothing to this model — while consent, counters, ids and offers are kept;
    /// returns false in that case.
    /// </summary>
    /// <exception cref="InvalidDataException">The bytes are not a grain state of this format.</exception>
    public bool Load(ReadOnlySpan<byte> bytes, GrainContext context)
    {
        var r = new StateReader(bytes);
        byte version = r.Byte();
        if (version != FormatVersion && version != PreviousFormatVersion)
            throw new InvalidDataException($"Stored state of {Key} has format version {version}; this build reads versions {PreviousFormatVersion} and {FormatVersion}.");
        bool tracking = r.Bool();
        if (version == PreviousFormatVersion)
        {
            // Format 3 kept two flags; its "offers" flag is the offers category.
            bool offers = r.Bool();
            _consent = (tracking, offers) == (true, true) ? Consent.Default : new Consent(tracking, offers);
        }
        else
        {
            var categories = new string[r.Count(4)];
            for (int i = 0; i < categories.Length; i++)
                categories[i] = r.String() ?? throw new InvalidDataException($"Stored state of {Key} has a null consent category.");
            var consent = new Consent(tracking, categories);
            _consent = consent == Consent.Default ? Consent.Default : consent;
            _timeZone.Restore(r.String());
        }

        _eventsApplied = r.Long();
        _duplicatesDropped = r.Long();

        int ids = r.Count(8);
        for (int i = 0; i < ids; i++) RememberId(context, r.ULong());

        if (r.Bool())
        {
            _trigger = new TriggerGrain { NextSequence = r.Int() };
            _trigger.State = TriggerState.Load(ref r);
            int count = r.Count(1);
            for (int i = 0; i < count; i++) _trigger.Restore(LoadOffer(ref r));
        }

        if (!r.Bool()) return true;
        string? modelVersion = r.String();
        ReadOnlySpan<byte> features = r.Blob();
        int floats = r.Count(sizeof(float));
        bool compatible = modelVersion == context.Model.Info.Version && floats == context.StateSize && features.Length == SessionFeatureState.SizeInBytes;
        if (!compatible) return false;
        _features = SessionFeatureState.ReadFrom(features);
        _network = new float[floats];
        for (int i = 0; i < floats; i++) _network[i] = r.Float();
        _lastEventTicks = r.Long();
        _sessionLength = r.Int();
        _sessionStartTicks = r.Long();
        _hasLatest = r.Bool();
        _latest = new EventScore(r.Float(), r.Float(), r.Int(), r.Float(), (Intent)r.Byte(), r.Int(), r.Bool());
        var codes = new string[r.Count(4)];
        for (int i = 0; i < codes.Length; i++) codes[i] = r.String() ?? throw new InvalidDataException($"Stored state of {Key} has a null category code in its table.");
        int timeline = r.Count(1);
        for (int i = 0; i < timeline; i++)
        {
            ref TimelineEntry t = ref AppendTimeline(context);
            t.EventId = r.String();
            int codeIndex = r.Int();
            if (codeIndex < -1 || codeIndex >= codes.Length)
                throw new InvalidDataException($"Stored state of {Key} refers to category code {codeIndex} of {codes.Length}.");
            t.CategoryCode = codeIndex < 0 ? null : codes[codeIndex];
            t.Ticks = r.Long();
            t.ProductId = r.Long();
            t.CategoryId = r.Long();
            t.Price = r.Float();
            t.Buy = r.Float();
            t.Exit = r.Float();
            t.AttentionLogit = r.Float();
            t.Type = (EventType)r.Byte();
            t.Decision = r.Byte() switch
            {
                0 => null,
                1 => TriggerPolicy.SuppressionAt(r.Byte()),
                2 => r.String() is { } id && _trigger?.Find(id) is { } record ? new TriggerDecision(record.Offer, null) : null,
                var kind => throw new InvalidDataException($"Stored state of {Key} has decision kind {kind}; expected 0, 1 or 2."),
            };
        }

        if (!r.AtEnd) throw new InvalidDataException($"Stored state of {Key} has bytes after its end.");
        return true;
    }

    private Offer Fire(GrainContext context, Policy policy, in ClickEvent e, in EventScore score, int rule, long nowTicks)
    {
        var type = policy.Rules[rule].Offer;
        _trigger ??= new TriggerGrain();
        long product = _features.MostRevisitedProduct();
        long category = _features.MostRevisitedCategory();
        if (product == 0) product = e.ProductId;
        if (category == 0) category = e.CategoryId;
        string? code = e.CategoryId == category ? e.CategoryCode : null;
        float price = e.ProductId == product && e.HasPrice ? e.Price : float.NaN;
        for (int i = _timelineCount - 1; i >= 0 && (code is null || float.IsNaN(price)); i--)
        {
            ref TimelineEntry t = ref _timeline![(_timelineStart + i) % _timeline.Length];
            if (code is null && t.CategoryId == category && t.CategoryCode is not null) code = t.CategoryCode;
            if (float.IsNaN(price) && t.ProductId == product && float.IsFinite(t.Price) && t.Price > 0) price = t.Price;
        }

        string? band = PriceBand(price, _features.MinPrice, _features.MaxPrice);
        string subject = product != 0 ? string.Create(CultureInfo.InvariantCulture, $"product {product}")
            : code ?? (category != 0 ? string.Create(CultureInfo.InvariantCulture, $"category {category}") : "your picks");
        string message = type switch
        {
            OfferType.Discount => $"Complete your order now and save on {subject}.",
            OfferType.Recommendation => $"Shoppers who liked {subject} also chose these.",
            OfferType.Assist => $"Skip this step? We can fill in the rest for {subject}.",
            _ => $"Still deciding? {char.ToUpperInvariant(subject[0])}{subject[1..]} is still here for you.",
        };
        int sequence = _trigger.NextSequence++;
        string id = string.Create(CultureInfo.InvariantCulture, $"{Partition:x}-{KeyHash:x16}-{sequence:x}");
        var offer = new Offer(
            id, Key.Tenant, Key.UserId, type, new OfferPayload(product, category, code, band, message),
            score.BuyProbability, score.ExitProbability, score.Cluster, TriggerPolicy.Explain(policy, rule, score, _features.HasCart),
            new DateTime(e.Timestamp.Ticks, DateTimeKind.Utc), OfferState.Proposed, policy.Version);
        _trigger.Add(new OfferRecord(offer, nowTicks, _sessionStartTicks, policy.Rules[rule].Name), policy.OfferMemory);
        return offer;
    }

    /// <summary>"low", "mid" or "high": where the price sits in the session's price range (thirds); null without a price.</summary>
    internal static string? PriceBand(float price, float min, float max)
    {
        if (!float.IsFinite(price) || price <= 0) return null;
        if (!float.IsFinite(min) || !float.IsFinite(max) || max <= min) return "mid";
        float at = (price - min) / (max - min);
        return at < 1f / 3 ? "low" : at < 2f / 3 ? "mid" : "high";
    }

    private static void SaveOffer(StateWriter w, OfferRecord record)
    {
        var o = record.Offer;
        w.String(o.Id);
        w.Byte((byte)o.Type);
        w.Long(o.Payload.ProductId);
        w.Long(o.Payload.CategoryId);
        w.String(o.Payload.CategoryCode);
        w.String(o.Payload.PriceBand);
        w.String(o.Payload.Message);
        w.Float(o.BuyProbability);
        w.Float(o.ExitProbability);
        w.Int(o.Cluster);
        w.String(o.Reason);
        w.Long(o.CreatedAt.Ticks);
        w.Byte((byte)o.State);
        w.String(o.PolicyVersion);
        w.Long(record.ProposedAtTicks);
        w.Long(record.SessionStartTicks);
        w.String(record.Rule);
    }

    private OfferRecord LoadOffer(ref StateReader r)
    {
        string id = r.String() ?? throw new InvalidDataException($"Stored state of {Key} has an offer without an id.");
        var type = (OfferType)r.Byte();
        var payload = new OfferPayload(r.Long(), r.Long(), r.String(), r.String(), r.String() ?? string.Empty);
        float buy = r.Float(), exit = r.Float();
        int cluster = r.Int();
        string reason = r.String() ?? string.Empty;
        var created = new DateTime(r.Long(), DateTimeKind.Utc);
        var state = (OfferState)r.Byte();
        string policy = r.String() ?? string.Empty;
        var offer = new Offer(id, Key.Tenant, Key.UserId, type, payload, buy, exit, cluster, reason, created, state, policy);
        long proposed = r.Long(), session = r.Long();
        return new OfferRecord(offer, proposed, session, r.String() ?? string.Empty);
    }

    private void RememberId(GrainContext context, ulong hash)
    {
        if (_recentIds is null || (_recentCount == _recentIds.Length && _recentIds.Length < context.DedupCapacity))
        {
            // Grow (doubling, up to the capacity) while the ring has not wrapped yet, keeping insertion order.
            var grown = new ulong[Math.Min(context.DedupCapacity, Math.Max(4, (_recentIds?.Length ?? 0) * 2))];
            if (_recentIds is not null) Array.Copy(_recentIds, grown, _recentCount);
            _recentIds = grown;
            _recentNext = _recentCount;
        }

        _recentIds[_recentNext] = hash;
        _recentNext = (_recentNext + 1) % _recentIds.Length;
        if (_recentCount < _recentIds.Length) _recentCount++;
    }

    private ref TimelineEntry AppendTimeline(GrainContext context)
    {
        if (_timeline is null || (_timelineCount == _timeline.Length && _timeline.Length < context.TimelineCapacity))
        {
            var grown = new TimelineEntry[Math.Min(context.TimelineCapacity, Math.Max(1, (_timeline?.Length ?? 0) * 2))];
            for (int i = 0; i < _timelineCount; i++) grown[i] = _timeline![(_timelineStart + i) % _timeline.Length];
            _timeline = grown;
            _timelineStart = 0;
        }

        if (_timelineCount == _timeline.Length)
        {
            // Full at capacity: overwrite the oldest.
            int slot = _timelineStart;
            _timelineStart = (_timelineStart + 1) % _timeline.Length;
            _timeline[slot] = default;
            return ref _timeline[slot];
        }

        int next = (_timelineStart + _timelineCount++) % _timeline.Length;
        return ref _timeline[next];
    }

    private void ResetSession(GrainContext context)
    {
        _features = default;
        if (_network is not null) context.Model.Network.ResetState(_network);
        _sessionLength = 0;
        _timelineCount = 0;
        _timelineStart = 0;
    }

    /// <summary>
    /// Reports the current session as closed to <paramref name="counters"/> when this activation saw it start (the
    /// shopper's next event opened a new one, or the grain goes idle); then forgets it.
    /// </summary>
    public void CloseSession(SiloCounters? counters)
    {
        if (_sessionTracked) counters?.CloseSession(_sessionOffers, _sessionPurchased);
        _sessionTracked = false;
        _sessionOffers = 0;
        _sessionPurchased = false;
    }

    private void EraseData()
    {
        _sessionTracked = false;
        _timeZone.Clear();
        _features = default;
        _network = null;
        _lastEventTicks = 0;
        _sessionLength = 0;
        _sessionStartTicks = 0;
        _latest = default;
        _hasLatest = false;
        _timeline = null;
        _timelineStart = 0;
        _timelineCount = 0;
        _recentIds = null;
        _recentNext = 0;
        _recentCount = 0;
        _trigger = null;
        _eventsApplied = 0;
        _duplicatesDropped = 0;
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
