namespace MicroMoment.Client;

/// <summary>What an offer is about.</summary>
/// <param name="ProductId">The product it concerns (0: none).</param>
/// <param name="CategoryId">The category it concerns (0: none).</param>
/// <param name="CategoryCode">The category's dotted code.</param>
/// <param name="PriceBand">"low", "mid" or "high" within the session's prices.</param>
/// <param name="Message">Text for a default popup.</param>
public sealed record OfferPayload(long ProductId, long CategoryId, string? CategoryCode, string? PriceBand, string Message);
