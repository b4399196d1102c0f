using System.Globalization;
using System.Text;

namespace MicroMoment.Data;

/// <summary>
/// Renders text taken from an input (which may be binary) for a message on a terminal: printable ASCII is kept, every
/// other character is escaped (<c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\0</c>, <c>\xNN</c>, <c>\uNNNN</c>), and the result is
/// bounded, so a control sequence, a NUL or a megabyte without a line break never reaches the terminal as it is.
/// </summary>
internal static class TextExcerpt
{
    /// <summary>The longest excerpt returned by default, in characters (escapes included), before the "..." and the length note.</summary>
    public const int DefaultMaxChars = 120;

    /// <summary>A safe excerpt of <paramref name="text"/>: at most <paramref name="maxChars"/> characters, then "..." and the length when cut.</summary>
    public static string Of(ReadOnlySpan<char> text, int maxChars = DefaultMaxChars)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChars, 8);
        var result = new StringBuilder(Math.Min(maxChars, text.Length) + 32);
        int used = 0;
        for (; used < text.Length; used++)
        {
            char c = text[used];
            string? escape = c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\0' => "\\0",
                '\\' => "\\\\",
                >= ' ' and <= '~' => null,
                <= '\xff' => "\\x" + ((int)c).ToString("x2", CultureInfo.InvariantCulture),
                _ => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
            };
            int length = escape?.Length ?? 1;
            if (result.Length + length > maxChars) break;
            if (escape is null) result.Append(c);
            else result.Append(escape);
        }

        if (used < text.Length)
        {
            result.Append(CultureInfo.InvariantCulture, $"... ({text.Length:N0} characters)");
        }

        return result.ToString();
    }
}
