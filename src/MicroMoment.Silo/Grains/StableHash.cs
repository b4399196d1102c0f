using System.Text;

namespace MicroMoment.Silo.Grains;

/// <summary>
/// A hash of tenant and user that is the same in every process and on every machine (unlike
/// <see cref="string.GetHashCode()"/>): 64-bit FNV-1a over the UTF-8 bytes of the tenant, a 0xFF separator (never
/// part of UTF-8) and the user id, finished with the SplitMix64 mixer so that every bit is
/// well spread (experiment arms use the low bits). Invalid UTF-16 (a lone surrogate) hashes as U+FFFD, as UTF-8 encoding would write it. Allocates nothing.
/// </summary>
internal static class StableHash
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;

    /// <summary>The stable 64-bit hash of the pair.</summary>
    public static ulong Of(string tenant, string userId)
    {
        ulong hash = Add(OffsetBasis, tenant);
        hash = (hash ^ 0xFF) * Prime;
        hash = Add(hash, userId);
        return Mix(hash);
    }

    /// <summary>The stable 64-bit hash of one string (event ids).</summary>
    public static ulong Of(string text) => Mix(Add(OffsetBasis, text));

    private static ulong Add(ulong hash, string text)
    {
        Span<byte> utf8 = stackalloc byte[4];
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c < 0x80)
            {
                hash = (hash ^ c) * Prime;
                i++;
                continue;
            }

            Rune.DecodeFromUtf16(text.AsSpan(i), out Rune rune, out int consumed);
            int written = rune.EncodeToUtf8(utf8);
            for (int b = 0; b < written; b++) hash = (hash ^ utf8[b]) * Prime;
            i += consumed;
        }

        return hash;
    }

    internal static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
