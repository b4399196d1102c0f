namespace MicroMoment.Client;

/// <summary>A shopper's consent.</summary>
/// <param name="Tracking">May events be recorded and scored?</param>
/// <param name="Offers">May offers be made? (The <c>offers</c> category.)</param>
/// <param name="Categories">Every granted consent category (e.g. offers, marketing); null when sending the two flags only.</param>
public sealed record ConsentState(bool Tracking, bool Offers, IReadOnlyList<string>? Categories = null);
