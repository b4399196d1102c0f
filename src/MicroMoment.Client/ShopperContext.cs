namespace MicroMoment.Client;

/// <summary>Optional client context of an event.</summary>
/// <param name="Device">Device class: mobile, desktop, tablet.</param>
/// <param name="Platform">Platform or channel: web, ios, android.</param>
/// <param name="Referrer">Referrer class: search, social, direct, email, ads, internal, referral.</param>
/// <param name="Page">Page kind: product, category, cart, checkout, ...</param>
public sealed record ShopperContext(string? Device = null, string? Platform = null, string? Referrer = null, string? Page = null);
