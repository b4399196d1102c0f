namespace MicroMoment.Silo.Grains;

/// <summary>An offer a trigger grain made, with what it needs to expire proposals and attribute purchases.</summary>
internal sealed class OfferRecord(Offer offer, long proposedAtTicks, long sessionStartTicks, string rule)
{
    /// <summary>The offer as clients see it (replaced on every state change).</summary>
    public Offer Offer { get; set; } = offer;

    /// <summary>Silo-clock time (UTC ticks) the offer was proposed; proposals expire a time-to-live after it.</summary>
    public long ProposedAtTicks { get; } = proposedAtTicks;

    /// <summary>Start (event time, UTC ticks) of the session that fired the offer.</summary>
    public long SessionStartTicks { get; } = sessionStartTicks;

    /// <summary>The name of the policy rule that fired it.</summary>
    public string Rule { get; } = rule;
}
