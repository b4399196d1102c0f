using System.Buffers;

namespace MicroMoment.Silo;

/// <summary>
/// What counts as a shopper's time zone id (<c>context.timeZone</c>): an IANA (or system) id of this machine's time zone
/// database, looked up only when it plainly looks like one. Shared by the gateway's parser and the user grain.
/// </summary>
public static class TimeZoneIdentifiers
{
    /// <summary>Longest id looked up, characters (IANA ids are far shorter).</summary>
    public const int MaxLength = 64;

    private static readonly SearchValues<char> IdChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_+-");

    /// <summary>Resolves <paramref name="id"/>; ids with characters no zone id has are refused without a lookup.</summary>
    /// <param name="id">The id as the client sent it.</param>
    /// <param name="zone">The zone, or UTC when the id names none.</param>
    public static bool TryResolve(string id, out TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(id);
        zone = TimeZoneInfo.Utc;
        // Zone ids are paths under the tz database on Linux: refuse anything that is not plainly one ('.' never appears).
        if (id.Length == 0 || id.Length > MaxLength || id[0] == '/' || id.AsSpan().ContainsAnyExcept(IdChars)) return false;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found)) return false;
        zone = found;
        return true;
    }
}
