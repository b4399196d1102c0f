namespace MicroMoment.Silo.Grains;

/// <summary>
/// The time zone a shopper's events last reported (<c>context.timeZone</c>), resolved once when it changes. Daily caps
/// count days in it; without one (or while only unknown ids arrived) they count in the policy's zone. An id that names
/// no zone is ignored and remembered, so a client that keeps sending it costs one failed lookup, not one per event.
/// </summary>
/// <remarks>
/// Per event the incoming id is only compared (ordinal) with the remembered ones: an unchanged zone allocates nothing.
/// A mutable struct held in a grain field: call its methods on the field, never on a copy.
/// </remarks>
internal struct ShopperTimeZone
{
    private string? _unknownId;

    /// <summary>The id of the shopper's zone as the client sent it, or null when none is known.</summary>
    public string? Id { get; private set; }

    /// <summary>The resolved zone, or null when none is known.</summary>
    public TimeZoneInfo? Zone { get; private set; }

    /// <summary>Takes the id an event reported (null: the event said nothing). Returns false when the id names no zone.</summary>
    public bool Observe(string? id)
    {
        if (id is null || string.Equals(id, Id, StringComparison.Ordinal)) return true;
        if (string.Equals(id, _unknownId, StringComparison.Ordinal)) return false;
        if (TimeZoneIdentifiers.TryResolve(id, out var zone))
        {
            Id = id;
            Zone = zone;
            _unknownId = null;
            return true;
        }

        _unknownId = id;
        return false;
    }

    /// <summary>Restores a stored id (an id that no longer resolves, e.g. after a tz database change, is dropped).</summary>
    public void Restore(string? id)
    {
        Id = null;
        Zone = null;
        _unknownId = null;
        if (id is not null && TimeZoneIdentifiers.TryResolve(id, out var zone))
        {
            Id = id;
            Zone = zone;
        }
    }

    /// <summary>Forgets the zone (erasure).</summary>
    public void Clear() => Restore(null);
}
