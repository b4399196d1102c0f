namespace MicroMoment.Silo.Triggers;

/// <summary>The gate state of one rule for one shopper (keyed by rule name, so it survives policy reloads).</summary>
internal sealed class RuleGate(string rule)
{
    /// <summary>The rule's name.</summary>
    public string Rule { get; } = rule;

    /// <summary>Above-threshold history of the session's events, newest in bit 0.</summary>
    public ulong History;

    /// <summary>Event ticks since which the signal has been above threshold without a break (0: not above).</summary>
    public long AboveSinceTicks;

    /// <summary>Event ticks since which the rule has been eligible (all gates but debounce; 0: not eligible).</summary>
    public long EligibleSinceTicks;

    /// <summary>The session the history and <see cref="SessionCount"/> belong to.</summary>
    public long SessionStartTicks;

    /// <summary>Offers of the rule in that session.</summary>
    public int SessionCount;

    /// <summary>The calendar day (days since 0001-01-01 in the policy's zone) <see cref="DayCount"/> belongs to.</summary>
    public int Day;

    /// <summary>Offers of the rule that day.</summary>
    public int DayCount;
}
