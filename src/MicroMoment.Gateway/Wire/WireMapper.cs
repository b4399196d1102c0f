using MicroMoment.Events;
using MicroMoment.Scoring;
using MicroMoment.Silo;

namespace MicroMoment.Gateway.Wire;

/// <summary>Maps silo types to wire DTOs and wire names to enums.</summary>
internal static class WireMapper
{
    /// <summary>The wire name of a status.</summary>
    public static string Status(IngestStatus status) => status switch
    {
        IngestStatus.Accepted => "accepted",
        IngestStatus.Duplicate => "duplicate",
        IngestStatus.Rejected => "rejected",
        IngestStatus.OptedOut => "opted_out",
        IngestStatus.Overloaded => "overloaded",
        _ => "rejected",
    };

    /// <summary>The wire name of an intent.</summary>
    public static string Intent(Intent intent) => intent switch
    {
        Scoring.Intent.Buy => "buy",
        Scoring.Intent.Exit => "exit",
        _ => "research",
    };

    /// <summary>The wire name of an offer type.</summary>
    public static string OfferType(OfferType type) => type switch
    {
        Silo.OfferType.Popup => "popup",
        Silo.OfferType.Discount => "discount",
        Silo.OfferType.Recommendation => "recommendation",
        _ => "assist",
    };

    /// <summary>The wire name of an offer state.</summary>
    public static string OfferState(OfferState state) => state.ToString().ToLowerInvariant();

    /// <summary>The wire name of feedback.</summary>
    public static string Feedback(OfferFeedback feedback) => feedback.ToString().ToLowerInvariant();

    /// <summary>The wire name of a feedback outcome.</summary>
    public static string FeedbackOutcome(FeedbackOutcome outcome) => outcome switch
    {
        Silo.FeedbackOutcome.Recorded => "recorded",
        Silo.FeedbackOutcome.UnknownOffer => "unknown_offer",
        _ => "invalid_transition",
    };

    /// <summary>Parses a wire feedback name (shown, clicked, dismissed, converted).</summary>
    public static bool TryParseFeedback(string? text, out OfferFeedback feedback)
    {
        feedback = text switch
        {
            "shown" => OfferFeedback.Shown,
            "clicked" => OfferFeedback.Clicked,
            "dismissed" => OfferFeedback.Dismissed,
            "converted" => OfferFeedback.Converted,
            _ => (OfferFeedback)(-1),
        };
        return Enum.IsDefined(feedback);
    }

    /// <summary>A score on the wire; the cluster gets its name from the model.</summary>
    public static ScoreDto Score(in EventScore score, MicroMomentModel model) =>
        new(Present(score.BuyProbability), Present(score.ExitProbability), score.Cluster, ClusterName(model, score.Cluster), Intent(score.Intent), score.Position, score.NewSession, score.AttentionLogit);

    /// <summary>A probability on the wire: null for the NaN of a head the model does not have (JSON has no NaN).</summary>
    public static float? Present(float probability) => float.IsNaN(probability) ? null : probability;

    /// <summary>The name of a cluster, or null when out of range.</summary>
    public static string? ClusterName(MicroMomentModel model, int cluster)
    {
        var names = model.Features.ClusterNames;
        return (uint)cluster < (uint)names.Count ? names[cluster] : null;
    }

    /// <summary>An offer on the wire, with its tenant-scoped id.</summary>
    public static OfferDto Offer(Offer offer) =>
        new(OfferIds.ToWire(offer.Tenant, offer.Id), offer.UserId, OfferType(offer.Type),
            new OfferPayloadDto(offer.Payload.ProductId, offer.Payload.CategoryId, offer.Payload.CategoryCode, offer.Payload.PriceBand, offer.Payload.Message),
            Present(offer.BuyProbability), Present(offer.ExitProbability), offer.Cluster, offer.Reason, offer.CreatedAt, OfferState(offer.State), offer.PolicyVersion);

    /// <summary>A decision on the wire.</summary>
    public static DecisionDto Decision(TriggerDecision decision) =>
        new(decision.Fired, decision.Offer is { } offer ? Offer(offer) : null, decision.SuppressedBecause);

    /// <summary>The live view of a shopper on the wire, with the gateway's recorded signals.</summary>
    public static UserStateResponse User(UserView view, MicroMomentModel model, IReadOnlyList<SignalDto> signals) =>
        new(view.UserId,
            new ConsentDto(view.Consent.Tracking, view.Consent.Offers, view.Consent.Categories),
            view.SessionStart,
            [.. view.Timeline.Select(t => new TimelineEventDto(t.EventId, t.Timestamp, EventTypes.Name(t.Type), t.ProductId, t.CategoryId, Present(t.BuyProbability), Present(t.ExitProbability), t.AttentionWeight))],
            view.Latest is { } latest ? Score(latest, model) : null,
            view.ClusterName,
            Intent(view.Intent),
            [.. view.ActiveOffers.Select(Offer)],
            [.. view.RecentDecisions.Select(Decision)],
            view.EventsApplied,
            view.DuplicatesDropped,
            signals,
            view.TimeZone,
            view.SessionOpen,
            view.LastEventAppliedAt);
}
