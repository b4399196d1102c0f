namespace MicroMoment.Client;

/// <summary>The body of POST /v1/shopper-tokens.</summary>
/// <param name="UserId">The shopper.</param>
/// <param name="LifetimeSeconds">How long the token lives; null for the gateway's default (1 hour).</param>
internal sealed record ShopperTokenRequest(string UserId, long? LifetimeSeconds);
