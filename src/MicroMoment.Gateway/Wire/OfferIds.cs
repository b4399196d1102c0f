namespace MicroMoment.Gateway.Wire;

/// <summary>
/// Wire offer ids carry the tenant ("shop~silo-id"), so a key of one tenant can never give feedback on another
/// tenant's offer even though the silo's ids are not tenant-scoped. Tenants never contain '~'.
/// </summary>
internal static class OfferIds
{
    private const char Separator = '~';

    /// <summary>The wire id of a silo offer id.</summary>
    public static string ToWire(string tenant, string siloId) => string.Concat(tenant, "~", siloId);

    /// <summary>The silo id of a wire id, when it belongs to <paramref name="tenant"/>.</summary>
    public static bool TryFromWire(string wireId, string tenant, out string siloId)
    {
        siloId = "";
        var cut = wireId.IndexOf(Separator);
        if (cut <= 0 || cut == wireId.Length - 1 || !wireId.AsSpan(0, cut).SequenceEqual(tenant)) return false;
        siloId = wireId[(cut + 1)..];
        return true;
    }
}
