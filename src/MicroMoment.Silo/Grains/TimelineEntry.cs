using MicroMoment.Events;

namespace MicroMoment.Silo.Grains;

/// <summary>One event of the current session as a user grain keeps it (72 bytes inline in the grain's ring).</summary>
internal struct TimelineEntry
{
    /// <summary>The client's event id, if any.</summary>
    public string? EventId;

    /// <summary>The event's category code (for offer payloads), if any.</summary>
    public string? CategoryCode;

    /// <summary>The trigger's decision after the event (null when none was taken, e.g. restored without it).</summary>
    public TriggerDecision? Decision;

    /// <summary>Event time, UTC ticks.</summary>
    public long Ticks;

    /// <summary>Product (0 when none).</summary>
    public long ProductId;

    /// <summary>Category (0 when none).</summary>
    public long CategoryId;

    /// <summary>Price (NaN when unknown).</summary>
    public float Price;

    /// <summary>Calibrated buy probability after the event.</summary>
    public float Buy;

    /// <summary>Calibrated exit probability after the event.</summary>
    public float Exit;

    /// <summary>Attention logit e_t the network gave the event.</summary>
    public float AttentionLogit;

    /// <summary>Event type.</summary>
    public EventType Type;
}
