namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>One shopper: events the gateway acknowledged for them and events their grain's state reflects.</summary>
internal sealed record ShopperCheck(string User, int Acknowledged, long Applied);
