namespace MicroMoment.Client;

/// <summary>A shopper token minted by the gateway.</summary>
/// <param name="Token">The token to hand the page (<c>MicroMoment.init({ key, shopperToken })</c>).</param>
/// <param name="UserId">The shopper it binds to.</param>
/// <param name="ExpiresAt">When the gateway stops accepting it.</param>
public sealed record ShopperTokenResult(string Token, string UserId, DateTimeOffset ExpiresAt);
