namespace MicroMoment.Gateway.Wire;

/// <summary>The gateway's machine-readable reasons for rejecting one event (the silo adds its own).</summary>
internal static class RejectCodes
{
    /// <summary>The element is not valid JSON; nothing after it in the body was read.</summary>
    public const string MalformedJson = "malformed-json";

    /// <summary>The element is a JSON value other than an object.</summary>
    public const string NotAnObject = "not-an-object";

    /// <summary>No userId.</summary>
    public const string MissingUserId = "missing-user-id";

    /// <summary>No eventId.</summary>
    public const string MissingEventId = "missing-event-id";

    /// <summary>No type.</summary>
    public const string MissingType = "missing-type";

    /// <summary>A type other than view, cart, remove_from_cart, purchase or signal.</summary>
    public const string UnknownType = "unknown-type";

    /// <summary>A signal without a valid signal name.</summary>
    public const string MissingSignal = "missing-signal";

    /// <summary>A field of the wrong JSON kind or out of range.</summary>
    public const string InvalidField = "invalid-field";

    /// <summary>A timestamp that is not ISO 8601 with a zone designator.</summary>
    public const string InvalidTimestamp = "invalid-timestamp";

    /// <summary>A timestamp further in the future than the allowed clock skew.</summary>
    public const string TimestampInFuture = "timestamp-in-future";

    /// <summary>A timestamp older than the allowed event age.</summary>
    public const string TimestampTooOld = "timestamp-too-old";

    /// <summary>A WebSocket connection sent events for more shoppers than it may.</summary>
    public const string TooManyUsers = "too-many-users-on-connection";
}
