namespace MicroMoment.Client;

/// <summary>A shopper's consent.</summary>
/// <param name="Tracking">May events be recorded and scored?</param>
/// <param name="Offers">May offers be made?</param>
public sealed record ConsentState(bool Tracking, bool Offers);
