using MicroMoment.Events;

namespace MicroMoment.Gateway.Wire;

/// <summary>One element of a request body after parsing: a valid event or signal, or a rejection with its reason.</summary>
internal struct ParsedEvent
{
    /// <summary>Event, signal or rejected.</summary>
    public ParsedKind Kind;

    /// <summary>The event (valid for <see cref="ParsedKind.Event"/> and <see cref="ParsedKind.Signal"/>).</summary>
    public ClickEvent Event;

    /// <summary>The client's event id as sent (echoed back even when rejected), or null.</summary>
    public string? EventId;

    /// <summary>The shopper as sent, or null.</summary>
    public string? UserId;

    /// <summary>The signal's name (signals only).</summary>
    public string? SignalName;

    /// <summary>The signal's value (dwell milliseconds, scroll percent, ...), NaN when absent.</summary>
    public double SignalValue;

    /// <summary>Machine-readable rejection code (rejected only).</summary>
    public string? RejectCode;

    /// <summary>What was wrong and what was expected (rejected only).</summary>
    public string? RejectDetail;

    /// <summary>Creates a rejection.</summary>
    public static ParsedEvent Reject(string code, string detail, string? eventId = null, string? userId = null) =>
        new() { Kind = ParsedKind.Rejected, RejectCode = code, RejectDetail = detail, EventId = eventId, UserId = userId, SignalValue = double.NaN };
}
