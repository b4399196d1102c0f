namespace MicroMoment.Silo.Grains;

/// <summary>A decision a trigger grain made, with the event it was made for (see <see cref="TriggerGrainState.Replayed"/>).</summary>
/// <param name="Sequence">The user grain's count of applied events after the event.</param>
/// <param name="EventKey">The event's key.</param>
/// <param name="Decision">The decision.</param>
[GenerateSerializer]
[Alias("mm.RecentDecision")]
internal sealed record RecentDecision(long Sequence, ulong EventKey, TriggerDecision Decision);
