using System.Text;

namespace MicroMoment.Reporting;

/// <summary>Escaping of text for XML/SVG and HTML content and attribute values.</summary>
public static class XmlText
{
    /// <summary>
    /// Escapes &amp;, &lt;, &gt;, " and ' and drops characters XML 1.0 cannot hold (control characters other than
    /// tab/newline/carriage return, unpaired surrogates, U+FFFE/U+FFFF), so any input yields well-formed markup.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        StringBuilder? sb = null;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            string? replacement = c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => null,
            };
            bool valid = IsValidXmlChar(text, i, out bool pair);
            if (replacement is null && valid)
            {
                sb?.Append(c);
                if (pair)
                {
                    sb?.Append(text[i + 1]);
                    i++;
                }

                continue;
            }

            sb ??= new StringBuilder(text.Length + 16).Append(text, 0, i);
            if (replacement is not null)
            {
                sb.Append(replacement);
            }
        }

        return sb?.ToString() ?? text;
    }

    private static bool IsValidXmlChar(string text, int i, out bool surrogatePair)
    {
        surrogatePair = false;
        char c = text[i];
        if (char.IsHighSurrogate(c))
        {
            surrogatePair = i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            return surrogatePair;
        }

        if (char.IsLowSurrogate(c))
        {
            return false;
        }

        return c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c != '\uFFFE' && c != '\uFFFF');
    }
}
