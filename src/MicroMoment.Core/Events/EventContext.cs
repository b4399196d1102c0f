namespace MicroMoment.Events;

/// <summary>Optional client context of an event. Any field may be null when the source does not report it.</summary>
/// <param name="Device">Device class, e.g. "mobile", "desktop", "tablet".</param>
/// <param name="Platform">Platform or channel, e.g. "web", "ios", "android".</param>
/// <param name="Referrer">Referrer class or host, e.g. "search", "social", "direct".</param>
/// <param name="Page">Page kind, e.g. "product", "category", "cart", "checkout".</param>
/// <param name="TimeZone">The shopper's IANA time zone id as the client reports it (e.g. "Asia/Tokyo"); not validated here.</param>
[Orleans.GenerateSerializer]
[Orleans.Alias("mm.EventContext")]
[Orleans.Immutable]
public readonly record struct EventContext(string? Device, string? Platform, string? Referrer, string? Page, string? TimeZone = null)
{
    /// <summary>A context with no fields reported.</summary>
    public static EventContext None => default;

    /// <summary>True when no field is reported.</summary>
    public bool IsEmpty => Device is null && Platform is null && Referrer is null && Page is null && TimeZone is null;
}
