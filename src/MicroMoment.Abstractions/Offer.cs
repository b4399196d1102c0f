namespace MicroMoment.Silo;

/// <summary>An intervention the trigger grain decided to make.</summary>
/// <param name="Id">Opaque id; feedback uses it and the silo routes it back to the owning grain.</param>
/// <param name="Tenant">The shop.</param>
/// <param name="UserId">The shopper.</param>
/// <param name="Type">Popup, discount, recommendation or assist.</param>
/// <param name="Payload">What it is about.</param>
/// <param name="BuyProbability">The buy score that fired it.</param>
/// <param name="ExitProbability">The exit score that fired it.</param>
/// <param name="Cluster">The behavioral cluster at the time.</param>
/// <param name="Reason">Why the grain fired it, in words.</param>
/// <param name="CreatedAt">Event time of the event that fired it.</param>
/// <param name="State">Where it is in its life.</param>
/// <param name="PolicyVersion">The policy version that fired it.</param>
[GenerateSerializer]
[Alias("mm.Offer")]
[Immutable]
public sealed record Offer(
    string Id,
    string Tenant,
    string UserId,
    OfferType Type,
    OfferPayload Payload,
    float BuyProbability,
    float ExitProbability,
    int Cluster,
    string Reason,
    DateTime CreatedAt,
    OfferState State,
    string PolicyVersion);
