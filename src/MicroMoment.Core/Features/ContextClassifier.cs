namespace MicroMoment.Features;

/// <summary>
/// Maps free-text client context (device, referrer, page) to the fixed one-hot slots of the raw features.
/// Comparisons are ordinal and case-insensitive on spans, so classifying allocates nothing.
/// </summary>
public static class ContextClassifier
{
    /// <summary>Device slots in feature order: mobile, desktop, tablet, unknown.</summary>
    public static readonly IReadOnlyList<string> DeviceSlots = ["mobile", "desktop", "tablet", "unknown"];

    /// <summary>Referrer slots in feature order: search, social, direct, email, ads, other, unknown.</summary>
    public static readonly IReadOnlyList<string> ReferrerSlots = ["search", "social", "direct", "email", "ads", "other", "unknown"];

    /// <summary>Page slots in feature order: home, category, product, cart, checkout, search, other, unknown.</summary>
    public static readonly IReadOnlyList<string> PageSlots = ["home", "category", "product", "cart", "checkout", "search", "other", "unknown"];

    /// <summary>Device slot index: "mobile"/"phone"/"smartphone" → 0, "desktop"/"pc"/"laptop" → 1, "tablet" → 2; anything else or nothing → 3 (unknown).</summary>
    public static int Device(string? device)
    {
        ReadOnlySpan<char> d = device.AsSpan().Trim();
        if (Is(d, "mobile") || Is(d, "phone") || Is(d, "smartphone")) return 0;
        if (Is(d, "desktop") || Is(d, "pc") || Is(d, "laptop")) return 1;
        if (Is(d, "tablet")) return 2;
        return 3;
    }

    /// <summary>
    /// Referrer slot index. Class names match exactly ("search", "social", "direct", "email", "ads"; also
    /// "organic", "none", "mail", "newsletter", "paid", "cpc", "ad"); hosts match by substring (google, bing,
    /// yahoo, duckduckgo, yandex, baidu → search; facebook, instagram, twitter, t.co, tiktok, pinterest, reddit,
    /// linkedin, youtube → social; mail → email; doubleclick, adwords, googleads → ads). Any other non-empty
    /// value → 5 (other); null or empty → 6 (unknown).
    /// </summary>
    public static int Referrer(string? referrer)
    {
        ReadOnlySpan<char> r = referrer.AsSpan().Trim();
        if (r.IsEmpty) return 6;
        if (Is(r, "search") || Is(r, "organic")) return 0;
        if (Is(r, "social")) return 1;
        if (Is(r, "direct") || Is(r, "none") || Is(r, "(direct)")) return 2;
        if (Is(r, "email") || Is(r, "mail") || Is(r, "newsletter")) return 3;
        if (Is(r, "ads") || Is(r, "ad") || Is(r, "paid") || Is(r, "cpc") || Is(r, "ppc")) return 4;
        // Ad hosts first: "googleads" must not read as a search engine.
        if (Has(r, "doubleclick") || Has(r, "googleads") || Has(r, "adwords") || Has(r, "gclid")) return 4;
        if (Has(r, "google") || Has(r, "bing.") || Has(r, "yahoo") || Has(r, "duckduckgo") || Has(r, "yandex") || Has(r, "baidu")) return 0;
        if (Has(r, "facebook") || Has(r, "instagram") || Has(r, "twitter") || Has(r, "t.co") || Has(r, "tiktok")
            || Has(r, "pinterest") || Has(r, "reddit") || Has(r, "linkedin") || Has(r, "youtube")) return 1;
        if (Has(r, "mail")) return 3;
        return 5;
    }

    /// <summary>
    /// Page slot index: "home"/"index"/"landing"/"/" → 0, "category"/"plp"/"listing" → 1, "product"/"pdp"/"item" → 2,
    /// "cart"/"basket"/"bag" → 3, "checkout"/"payment" → 4, "search"/"results" → 5; any other non-empty value → 6 (other);
    /// null or empty → 7 (unknown).
    /// </summary>
    public static int Page(string? page)
    {
        ReadOnlySpan<char> p = page.AsSpan().Trim();
        if (p.IsEmpty) return 7;
        if (Is(p, "home") || Is(p, "index") || Is(p, "landing") || Is(p, "/")) return 0;
        if (Is(p, "category") || Is(p, "plp") || Is(p, "listing")) return 1;
        if (Is(p, "product") || Is(p, "pdp") || Is(p, "item")) return 2;
        if (Is(p, "cart") || Is(p, "basket") || Is(p, "bag")) return 3;
        if (Is(p, "checkout") || Is(p, "payment")) return 4;
        if (Is(p, "search") || Is(p, "results")) return 5;
        return 6;
    }

    private static bool Is(ReadOnlySpan<char> value, string name) => value.Equals(name, StringComparison.OrdinalIgnoreCase);

    private static bool Has(ReadOnlySpan<char> value, string part) => value.Contains(part, StringComparison.OrdinalIgnoreCase);
}
