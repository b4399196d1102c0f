namespace MicroMoment.Silo;

/// <summary>
/// A shopper's consent (POST /v1/users/{id}/consent): whether they may be tracked at all, and the named categories
/// they granted (e.g. <c>offers</c>, <c>personalization</c>, <c>marketing</c>, <c>analytics</c>). A rule of the trigger
/// policy names the category it needs (<c>consent: offers</c> by default). The <c>offers</c> category is what the
/// older two-flag consent called "offers": <see cref="Offers"/> reads it and <see cref="Consent(bool, bool)"/> writes it.
/// </summary>
[Immutable]
public sealed record Consent
{
    private static readonly string[] OffersOnly = [ConsentCategories.Offers];
    private static readonly IReadOnlyList<string> OffersOnlyView = Array.AsReadOnly(OffersOnly);
    private readonly string[] _categories;

    /// <summary>Tracking plus, when <paramref name="offers"/>, the <c>offers</c> category (the two-flag form).</summary>
    public Consent(bool tracking, bool offers)
    {
        Tracking = tracking;
        _categories = offers ? OffersOnly : [];
        Categories = offers ? OffersOnlyView : [];
    }

    /// <summary>Tracking plus exactly the granted <paramref name="categories"/> (duplicates collapse; order does not matter).</summary>
    /// <exception cref="ArgumentException">A name is not a valid category name, or there are more than <see cref="ConsentCategories.MaxPerUser"/>.</exception>
    public Consent(bool tracking, IEnumerable<string> categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        Tracking = tracking;
        var set = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var category in categories)
        {
            if (ConsentCategories.Problem(category) is { } problem) throw new ArgumentException($"Consent category {problem}", nameof(categories));
            // Not string.Intern: names come from API callers, and the process-wide intern pool never shrinks.
            set.Add(category == ConsentCategories.Offers ? ConsentCategories.Offers : category);
        }

        if (set.Count > ConsentCategories.MaxPerUser)
            throw new ArgumentException($"Consent grants {set.Count} distinct categories; at most {ConsentCategories.MaxPerUser} are allowed.", nameof(categories));
        _categories = set.Count == 1 && set.Min == ConsentCategories.Offers ? OffersOnly : [.. set];
        Categories = _categories == OffersOnly ? OffersOnlyView : Array.AsReadOnly(_categories);
    }

    /// <summary>The default for a shopper who has said nothing: tracked, the <c>offers</c> category granted.</summary>
    public static Consent Default { get; } = new(true, true);

    /// <summary>May events be recorded and scored? When false, events are dropped as opted out and state is not kept.</summary>
    public bool Tracking { get; }

    /// <summary>True when the <c>offers</c> category is granted (the older "may the shopper receive offers?").</summary>
    public bool Offers => Grants(ConsentCategories.Offers);

    /// <summary>The granted categories, distinct, in ordinal order.</summary>
    public IReadOnlyList<string> Categories { get; }

    /// <summary>True when <paramref name="category"/> is granted. Allocates nothing (runs per rule per event).</summary>
    public bool Grants(string category)
    {
        foreach (var granted in _categories)
        {
            if (string.Equals(granted, category, StringComparison.Ordinal)) return true;
        }

        return false;
    }

    /// <inheritdoc/>
    public bool Equals(Consent? other) =>
        other is not null && Tracking == other.Tracking && _categories.AsSpan().SequenceEqual(other._categories);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Tracking);
        foreach (var category in _categories) hash.Add(category, StringComparer.Ordinal);
        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() => $"Consent {{ Tracking = {Tracking}, Categories = [{string.Join(", ", _categories)}] }}";
}
