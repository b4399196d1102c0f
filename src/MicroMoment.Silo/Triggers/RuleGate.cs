namespace MicroMoment.Silo.Triggers;

/// <summary>The gate state of one rule for one shopper (keyed by rule name, so it survives policy reloads).</summary>
[GenerateSerializer]
[Alias("mm.RuleGate")]
internal sealed class RuleGate
{
    /// <summary>Creates the record for <paramref name="rule"/>.</summary>
    public RuleGate(string rule) => Rule = rule;

    /// <summary>For the serializer.</summary>
    public RuleGate()
    {
    }

    /// <summary>The rule's name.</summary>
    [Id(0)]
    public string Rule { get; init; } = "";

    /// <summary>Above-threshold history of the session's events, newest in bit 0.</summary>
    [Id(1)]
    public ulong History;

    /// <summary>Event ticks since which the signal has been above threshold without a break (0: not above).</summary>
    [Id(2)]
    public long AboveSinceTicks;

    /// <summary>Event ticks since which the rule has been eligible (all gates but debounce; 0: not eligible).</summary>
    [Id(3)]
    public long EligibleSinceTicks;

    /// <summary>The session the history and <see cref="SessionCount"/> belong to.</summary>
    [Id(4)]
    public long SessionStartTicks;

    /// <summary>Offers of the rule in that session.</summary>
    [Id(5)]
    public int SessionCount;

    /// <summary>The calendar day (days since 0001-01-01 in the policy's zone) <see cref="DayCount"/> belongs to.</summary>
    [Id(6)]
    public int Day;

    /// <summary>Offers of the rule that day.</summary>
    [Id(7)]
    public int DayCount;
}
