namespace MicroMoment.Events;

/// <summary>
/// One shopper interaction in MicroMoment's internal schema. Every reader (REES46 CSV, YOOCHOOSE TSV,
/// the gateway) produces this shape, and the same feature code consumes it in training and serving.
/// </summary>
/// <param name="Tenant">The shop (tenant) the event belongs to; "default" for single-tenant logs.</param>
/// <param name="UserId">The shopper's stable id within the tenant.</param>
/// <param name="Timestamp">When the event happened, in UTC (<see cref="DateTimeKind.Utc"/>).</param>
/// <param name="Type">The interaction kind.</param>
/// <param name="ProductId">The product, or 0 when the event concerns no product.</param>
/// <param name="CategoryId">The category id, or 0 when unknown.</param>
/// <param name="CategoryCode">The dotted category path (e.g. "electronics.smartphone"), or null when unknown.</param>
/// <param name="Brand">The brand, or null when unknown.</param>
/// <param name="Price">The unit price, or NaN when unknown.</param>
/// <param name="Context">Optional client context (device, platform, referrer, page).</param>
/// <param name="RawType">The source's type name when <paramref name="Type"/> is <see cref="EventType.Other"/>; otherwise null.</param>
/// <param name="SourceSession">The source's own session id when it has one (REES46 user_session); informational only.</param>
/// <param name="EventId">A client-assigned id used for de-duplication; null for offline logs.</param>
[Orleans.GenerateSerializer]
[Orleans.Alias("mm.ClickEvent")]
[Orleans.Immutable]
public readonly record struct ClickEvent(
    string Tenant,
    string UserId,
    DateTime Timestamp,
    EventType Type,
    long ProductId,
    long CategoryId,
    string? CategoryCode,
    string? Brand,
    float Price,
    EventContext Context = default,
    string? RawType = null,
    string? SourceSession = null,
    string? EventId = null)
{
    /// <summary>The tenant used when a source has no notion of tenants.</summary>
    public const string DefaultTenant = "default";

    /// <summary>True when the event carries a usable price.</summary>
    public bool HasPrice => float.IsFinite(Price) && Price > 0f;
}
