using MicroMoment.Events;

namespace MicroMoment.Grains;

/// <summary>Events of one shopper, in the order they are to be applied (what a gateway or .NET backend hands a user grain).</summary>
/// <param name="Events">The events; all must carry the grain's tenant and user. Not changed after it is sent.</param>
[GenerateSerializer]
[Alias("mm.EventBatch")]
[Immutable]
public sealed record EventBatch(ClickEvent[] Events);
