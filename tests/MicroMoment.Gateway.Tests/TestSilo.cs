using MicroMoment.Events;
using MicroMoment.Scoring;
using MicroMoment.Silo;

namespace MicroMoment.Gateway.Tests;

/// <summary>
/// A small in-test silo for transport tests until the embedded silo lands: one lock, one <see cref="SessionScorer"/> per
/// shopper, de-duplication by event id, consent, erase, feedback, one offer per session when the intent is buy or exit.
/// </summary>
internal sealed class TestSilo(MicroMomentModel model) : IMicroMomentSilo
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string, string), Shopper> _shoppers = [];
    private readonly Dictionary<(string, string), Consent> _consent = [];
    private readonly Dictionary<string, Offer> _offers = new(StringComparer.Ordinal);
    private readonly List<IOfferSink> _sinks = [];
    private long _accepted;
    private long _offerCount;

    /// <summary>Every event the silo was handed, in order.</summary>
    public List<ClickEvent> Received { get; } = [];

    /// <summary>When set, every event is answered Overloaded.</summary>
    public bool Overloaded { get; set; }

    /// <summary>Ready for /readyz.</summary>
    public bool Ready { get; set; } = true;

    public MicroMomentModel Model => model;

    public ValueTask<IReadOnlyList<IngestOutcome>> IngestAsync(IReadOnlyList<ClickEvent> events, CancellationToken cancellationToken = default)
    {
        var outcomes = new IngestOutcome[events.Count];
        var fired = new List<Offer>();
        lock (_gate)
        {
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                Received.Add(e);
                var key = (e.Tenant, e.UserId);
                if (Overloaded) { outcomes[i] = new IngestOutcome(IngestStatus.Overloaded, "queue-full"); continue; }
                var consent = _consent.GetValueOrDefault(key, Consent.Default);
                if (!consent.Tracking) { outcomes[i] = new IngestOutcome(IngestStatus.OptedOut, "opted-out"); continue; }
                if (!_shoppers.TryGetValue(key, out var shopper)) _shoppers[key] = shopper = new Shopper(model.CreateScorer());
                if (e.EventId is not null && !shopper.Seen.Add(e.EventId)) { shopper.Duplicates++; outcomes[i] = new IngestOutcome(IngestStatus.Duplicate, "duplicate"); continue; }
                var score = shopper.Scorer.Score(e);
                if (score.NewSession) { shopper.Timeline.Clear(); shopper.OfferedThisSession = false; }
                shopper.Timeline.Add(new TimelineEvent(e.EventId, e.Timestamp, e.Type, e.ProductId, e.CategoryId, score.BuyProbability, score.ExitProbability, score.AttentionScore));
                shopper.Latest = score;
                shopper.Applied++;
                _accepted++;
                TriggerDecision decision;
                if (score.Intent == Intent.Research) decision = new TriggerDecision(null, "below-threshold");
                else if (shopper.OfferedThisSession) decision = new TriggerDecision(null, "session-cap");
                else if (!consent.Offers) decision = new TriggerDecision(null, "no-consent");
                else
                {
                    var offer = new Offer($"o{++_offerCount}", e.Tenant, e.UserId, score.Intent == Intent.Buy ? OfferType.Discount : OfferType.Popup,
                        new OfferPayload(e.ProductId, e.CategoryId, e.CategoryCode, "mid", "Still deciding?"), score.BuyProbability, score.ExitProbability,
                        score.Cluster, "test policy", e.Timestamp, OfferState.Proposed, "test-1");
                    _offers[offer.Id] = offer;
                    shopper.OfferedThisSession = true;
                    shopper.Active.Add(offer.Id);
                    fired.Add(offer);
                    decision = new TriggerDecision(offer, null);
                }
                outcomes[i] = new IngestOutcome(IngestStatus.Accepted, null, score, decision);
            }
        }
        foreach (var offer in fired)
            foreach (var sink in _sinks) sink.Deliver(offer);
        return ValueTask.FromResult<IReadOnlyList<IngestOutcome>>(outcomes);
    }

    public ValueTask<UserView?> GetUserAsync(string tenant, string userId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_shoppers.TryGetValue((tenant, userId), out var s)) return ValueTask.FromResult<UserView?>(null);
            var consent = _consent.GetValueOrDefault((tenant, userId), Consent.Default);
            return ValueTask.FromResult<UserView?>(new UserView(tenant, userId, consent, s.Timeline.FirstOrDefault()?.Timestamp, [.. s.Timeline], s.Latest,
                s.Latest is { } l ? model.Features.ClusterNames[l.Cluster] : null, s.Latest?.Intent ?? Intent.Research,
                [.. s.Active.Select(id => _offers[id])], [], s.Applied, s.Duplicates));
        }
    }

    public ValueTask<FeedbackOutcome> RecordFeedbackAsync(string offerId, OfferFeedback feedback, DateTime at, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_offers.TryGetValue(offerId, out var offer)) return ValueTask.FromResult(FeedbackOutcome.UnknownOffer);
            var next = feedback switch { OfferFeedback.Shown => OfferState.Shown, OfferFeedback.Clicked => OfferState.Clicked, OfferFeedback.Dismissed => OfferState.Dismissed, _ => OfferState.Converted };
            var allowed = offer.State switch
            {
                OfferState.Proposed => next is OfferState.Shown or OfferState.Clicked or OfferState.Dismissed,
                OfferState.Shown => next is OfferState.Clicked or OfferState.Dismissed,
                OfferState.Clicked => next is OfferState.Converted,
                _ => false,
            };
            if (!allowed) return ValueTask.FromResult(FeedbackOutcome.InvalidTransition);
            _offers[offerId] = offer with { State = next };
            return ValueTask.FromResult(FeedbackOutcome.Recorded);
        }
    }

    public ValueTask SetConsentAsync(string tenant, string userId, Consent consent, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _consent[(tenant, userId)] = consent;
            if (!consent.Tracking) _shoppers.Remove((tenant, userId));
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<bool> EraseUserAsync(string tenant, string userId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _consent.Remove((tenant, userId));
            return ValueTask.FromResult(_shoppers.Remove((tenant, userId)));
        }
    }

    public void Subscribe(IOfferSink sink)
    {
        lock (_gate) _sinks.Add(sink);
    }

    public SiloStatistics GetStatistics()
    {
        lock (_gate)
        {
            return new SiloStatistics(_accepted, new Dictionary<string, long> { ["accepted"] = _accepted }, new Dictionary<string, long>(), _offerCount,
                new Dictionary<string, long>(), _shoppers.Count, _shoppers.Count, 0, [0, 0], 1024, [KeyValuePair.Create(0.001, _accepted)], 0.0001 * _accepted, _accepted, 0, Ready);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class Shopper(SessionScorer scorer)
    {
        public SessionScorer Scorer { get; } = scorer;
        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);
        public List<TimelineEvent> Timeline { get; } = [];
        public List<string> Active { get; } = [];
        public EventScore? Latest { get; set; }
        public bool OfferedThisSession { get; set; }
        public long Applied { get; set; }
        public long Duplicates { get; set; }
    }
}
