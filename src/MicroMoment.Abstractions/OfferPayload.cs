namespace MicroMoment.Silo;

/// <summary>What an offer is about, personalised from the session.</summary>
/// <param name="ProductId">The product the shopper keeps returning to (0 when none).</param>
/// <param name="CategoryId">The category the shopper keeps returning to (0 when none).</param>
/// <param name="CategoryCode">That category's dotted code when known.</param>
/// <param name="PriceBand">"low", "mid" or "high" relative to the session's prices, or null.</param>
/// <param name="Message">Human-readable text for the default popup.</param>
[GenerateSerializer]
[Alias("mm.OfferPayload")]
[Immutable]
public sealed record OfferPayload(long ProductId, long CategoryId, string? CategoryCode, string? PriceBand, string Message);
