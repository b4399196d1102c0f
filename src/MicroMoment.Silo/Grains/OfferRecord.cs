namespace MicroMoment.Silo.Grains;

/// <summary>An offer a trigger grain made, with what it needs to expire proposals and attribute purchases.</summary>
[GenerateSerializer]
[Alias("mm.OfferRecord")]
internal sealed class OfferRecord
{
    /// <summary>Creates the record of an offer just fired.</summary>
    public OfferRecord(Offer offer, long proposedAtTicks, long sessionStartTicks, string rule)
    {
        Offer = offer;
        ProposedAtTicks = proposedAtTicks;
        SessionStartTicks = sessionStartTicks;
        Rule = rule;
    }

    /// <summary>The offer as clients see it (replaced on every state change).</summary>
    [Id(0)]
    public Offer Offer { get; set; }

    /// <summary>Silo-clock time (UTC ticks) the offer was proposed; proposals expire a time-to-live after it.</summary>
    [Id(1)]
    public long ProposedAtTicks { get; init; }

    /// <summary>Start (event time, UTC ticks) of the session that fired the offer.</summary>
    [Id(2)]
    public long SessionStartTicks { get; init; }

    /// <summary>The name of the policy rule that fired it.</summary>
    [Id(3)]
    public string Rule { get; init; }
}
