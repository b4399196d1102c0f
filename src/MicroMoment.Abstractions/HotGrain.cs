namespace MicroMoment.Silo;

/// <summary>One busy user grain in a <see cref="SessionCensus"/>.</summary>
/// <param name="Tenant">The shop.</param>
/// <param name="UserId">The shopper.</param>
/// <param name="Partition">The partition that owns it.</param>
/// <param name="EventsApplied">Events applied over the grain's lifetime.</param>
[GenerateSerializer]
[Alias("mm.HotGrain")]
[Immutable]
public sealed record HotGrain(string Tenant, string UserId, int Partition, long EventsApplied);
