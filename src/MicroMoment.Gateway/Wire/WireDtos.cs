namespace MicroMoment.Gateway.Wire;

/// <summary>The answer to a batch of events (POST /v1/events and WebSocket acks).</summary>
internal sealed record EventBatchResponse(int Received, int Accepted, int Duplicate, int Rejected, int OptedOut, int Overloaded, IReadOnlyList<EventResultDto> Results);

/// <summary>What happened to one event of a batch.</summary>
internal sealed record EventResultDto(int Index, string? EventId, string Status, string? Reason = null, string? Detail = null, ScoreDto? Score = null, DecisionDto? Decision = null, string? Signal = null);

/// <summary>The model's score after an event; a head the model does not have is null (left out of the JSON); <c>attentionLogit</c> is the raw attention logit e_t (the timeline's <c>attentionWeight</c> is the softmax weight).</summary>
internal sealed record ScoreDto(float? Buy, float? Exit, int Cluster, string? ClusterName, string Intent, int Position, bool NewSession, float AttentionLogit);

/// <summary>The trigger's decision after an event.</summary>
internal sealed record DecisionDto(bool Fired, OfferDto? Offer, string? SuppressedBecause);

/// <summary>An offer on the wire; a head the model does not have is null (left out of the JSON).</summary>
internal sealed record OfferDto(string Id, string UserId, string Type, OfferPayloadDto Payload, float? BuyProbability, float? ExitProbability, int Cluster, string Reason, DateTime CreatedAt, string State, string PolicyVersion);

/// <summary>What an offer is about.</summary>
internal sealed record OfferPayloadDto(long ProductId, long CategoryId, string? CategoryCode, string? PriceBand, string Message);

/// <summary>Consent in the user view: tracking, the offers category, and every granted category.</summary>
internal sealed record ConsentDto(bool Tracking, bool Offers, IReadOnlyList<string> Categories);

/// <summary>The answer to a consent change.</summary>
internal sealed record ConsentResponse(string UserId, bool Tracking, bool Offers, IReadOnlyList<string> Categories);

/// <summary>The answer to an erase.</summary>
internal sealed record EraseResponse(string UserId, bool Erased, int SignalsErased);

/// <summary>The answer to recorded feedback.</summary>
internal sealed record FeedbackResponse(string OfferId, string Feedback, string Outcome);

/// <summary>One event of the live session in the user view; a head the model does not have is null (left out of the JSON); <c>attentionWeight</c> is the softmax weight α the session gives it (weights of a session sum to 1).</summary>
internal sealed record TimelineEventDto(string? EventId, DateTime Timestamp, string Type, long ProductId, long CategoryId, float? Buy, float? Exit, float AttentionWeight);

/// <summary>A tracker signal as recorded.</summary>
internal sealed record SignalDto(string Name, double? Value, DateTime Timestamp, string? Page, long ProductId);

/// <summary>The live view of one shopper (GET /v1/users/{id}); <c>sessionOpen</c> is false once the session went idle by the silo clock.</summary>
internal sealed record UserStateResponse(
    string UserId,
    ConsentDto Consent,
    DateTime? SessionStart,
    IReadOnlyList<TimelineEventDto> Timeline,
    ScoreDto? Latest,
    string? ClusterName,
    string Intent,
    IReadOnlyList<OfferDto> ActiveOffers,
    IReadOnlyList<DecisionDto> RecentDecisions,
    long EventsApplied,
    long DuplicatesDropped,
    IReadOnlyList<SignalDto> Signals,
    string? TimeZone,
    bool SessionOpen,
    DateTimeOffset? LastEventAppliedAt);

/// <summary>A WebSocket message from the gateway: an ack, an offer, a feedback answer or an error.</summary>
internal sealed record StreamMessage(
    string Type,
    string? Batch = null,
    EventBatchResponse? Ack = null,
    OfferDto? Offer = null,
    FeedbackResponse? Feedback = null,
    int? Status = null,
    string? Title = null,
    string? Detail = null,
    int? RetryAfterSeconds = null);

/// <summary>A minted shopper token (POST /v1/shopper-tokens, POST /demo/shopper-token).</summary>
internal sealed record ShopperTokenResponse(string Token, string UserId, DateTimeOffset ExpiresAt);

/// <summary>/healthz and /readyz answers.</summary>
internal sealed record HealthResponse(string Status, string? Model = null, long? LiveActivations = null);
