using MicroMoment.Events;

namespace MicroMoment.Silo.Grains;

/// <summary>One event of the current session as a user grain keeps it (72 bytes inline in the grain's ring).</summary>
[GenerateSerializer]
[Alias("mm.TimelineEntry")]
internal struct TimelineEntry
{
    /// <summary>The client's event id, if any.</summary>
    [Id(0)]
    public string? EventId;

    /// <summary>The event's category code (for offer payloads), if any.</summary>
    [Id(1)]
    public string? CategoryCode;

    /// <summary>The trigger's decision after the event (null when none was taken, e.g. restored without it).</summary>
    [Id(2)]
    public TriggerDecision? Decision;

    /// <summary>Event time, UTC ticks.</summary>
    [Id(3)]
    public long Ticks;

    /// <summary>Product (0 when none).</summary>
    [Id(4)]
    public long ProductId;

    /// <summary>Category (0 when none).</summary>
    [Id(5)]
    public long CategoryId;

    /// <summary>Price (NaN when unknown).</summary>
    [Id(6)]
    public float Price;

    /// <summary>Calibrated buy probability after the event.</summary>
    [Id(7)]
    public float Buy;

    /// <summary>Calibrated exit probability after the event.</summary>
    [Id(8)]
    public float Exit;

    /// <summary>Attention logit e_t the network gave the event.</summary>
    [Id(9)]
    public float AttentionLogit;

    /// <summary>Event type.</summary>
    [Id(10)]
    public EventType Type;
}
