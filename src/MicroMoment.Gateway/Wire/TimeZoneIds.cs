using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using MicroMoment.Silo;

namespace MicroMoment.Gateway.Wire;

/// <summary>
/// The time zone ids events carry in <c>context.timeZone</c>, interned: a tracker sends the same id with every event,
/// so the parser finds it here by its UTF-8 bytes instead of allocating a new string each time, and the silo's grains
/// compare one shared instance. Only ids that name a zone of this machine are kept, so the table stays as small as the
/// time zone database whatever clients send.
/// </summary>
internal static class TimeZoneIds
{
    private const int MaxLength = TimeZoneIdentifiers.MaxLength;
    private const int MaxEntries = 2048;
    private static readonly ConcurrentDictionary<string, string> Table = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> ByChars = Table.GetAlternateLookup<ReadOnlySpan<char>>();
    private static int _count;

    /// <summary>Finds an interned id by its UTF-8 bytes (ASCII only) without allocating.</summary>
    public static bool TryGet(ReadOnlySpan<byte> utf8, out string id)
    {
        id = string.Empty;
        if (utf8.Length == 0 || utf8.Length > MaxLength) return false;
        Span<char> chars = stackalloc char[MaxLength];
        if (Ascii.ToUtf16(utf8, chars, out int written) != OperationStatus.Done) return false;
        if (!ByChars.TryGetValue(chars[..written], out var found)) return false;
        id = found;
        return true;
    }

    /// <summary>The shared instance of <paramref name="id"/> when it names a zone (added on first sight), else <paramref name="id"/> itself.</summary>
    public static string Intern(string id)
    {
        if (Table.TryGetValue(id, out var known)) return known;
        if (Volatile.Read(ref _count) >= MaxEntries || !TimeZoneIdentifiers.TryResolve(id, out _)) return id;
        if (Table.TryAdd(id, id)) Interlocked.Increment(ref _count);
        return Table.TryGetValue(id, out known) ? known : id;
    }
}
