namespace MicroMoment.Client;

/// <summary>The answer to an erase.</summary>
/// <param name="UserId">The shopper.</param>
/// <param name="Erased">True when the silo held anything for them.</param>
/// <param name="SignalsErased">Recorded signals dropped.</param>
public sealed record EraseResult(string UserId, bool Erased, int SignalsErased);
