namespace MicroMoment.Client;

/// <summary>An offer the trigger policy fired for a shopper.</summary>
/// <param name="Id">The id feedback refers to.</param>
/// <param name="UserId">The shopper.</param>
/// <param name="Type">Popup, discount, recommendation or assist.</param>
/// <param name="Payload">What it is about.</param>
/// <param name="BuyProbability">The buy score when it fired; null when the model has no buy head.</param>
/// <param name="ExitProbability">The exit score when it fired; null when the model has no exit head.</param>
/// <param name="Cluster">The behavioral cluster at the time.</param>
/// <param name="Reason">Why it fired, in words.</param>
/// <param name="CreatedAt">Event time of the event that fired it (UTC).</param>
/// <param name="State">Where it is in its life.</param>
/// <param name="PolicyVersion">The policy that fired it.</param>
public sealed record Offer(string Id, string UserId, OfferKind Type, OfferPayload Payload, float? BuyProbability, float? ExitProbability, int Cluster, string Reason, DateTime CreatedAt, OfferStatus State, string PolicyVersion);
