namespace MicroMoment.Client;

/// <summary>Optional client context of an event.</summary>
/// <param name="Device">Device class: mobile, desktop, tablet.</param>
/// <param name="Platform">Platform or channel: web, ios, android.</param>
/// <param name="Referrer">Referrer class: search, social, direct, email, ads, internal, referral.</param>
/// <param name="Page">Page kind: product, category, cart, checkout, ...</param>
/// <param name="TimeZone">The shopper's IANA time zone, e.g. "Asia/Tokyo": daily offer caps count the shopper's days in it
/// (an id the server does not know is ignored, and the policy's zone is used).</param>
public sealed record ShopperContext(string? Device = null, string? Platform = null, string? Referrer = null, string? Page = null, string? TimeZone = null);
