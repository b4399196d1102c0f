namespace MicroMoment.Data;

/// <summary>Allocation-free parsing and formatting of the timestamp syntaxes used by the supported logs. All results are UTC.</summary>
internal static class TimestampText
{
    /// <summary>The REES46 syntax, as written in messages.</summary>
    public const string Rees46Format = "yyyy-MM-dd HH:mm:ss UTC";

    /// <summary>Length of a REES46 timestamp.</summary>
    public const int Rees46Length = 23;

    private static readonly long MaxUnixSeconds = (DateTime.MaxValue - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerSecond;

    /// <summary>Parses "yyyy-MM-dd HH:mm:ss UTC" (e.g. "2019-10-01 00:00:00 UTC").</summary>
    public static bool TryParseRees46(ReadOnlySpan<char> text, out DateTime value)
    {
        value = default;
        if (text.Length != Rees46Length || text[19] != ' ' || text[20] != 'U' || text[21] != 'T' || text[22] != 'C' || text[10] != ' ')
        {
            return false;
        }

        return TryParseDateAndTime(text, out value);
    }

    /// <summary>Parses ISO 8601 in UTC: "yyyy-MM-ddTHH:mm:ss[.fffffff]Z" (extra fraction digits are truncated).</summary>
    public static bool TryParseIso8601Utc(ReadOnlySpan<char> text, out DateTime value)
    {
        value = default;
        if (text.Length < 20 || text[10] != 'T' || text[^1] != 'Z')
        {
            return false;
        }

        if (!TryParseDateAndTime(text, out value))
        {
            return false;
        }

        var fraction = text[19..^1];
        if (fraction.IsEmpty)
        {
            return true;
        }

        if (fraction[0] != '.' || fraction.Length == 1 || !TryParseFractionTicks(fraction[1..], out long ticks))
        {
            value = default;
            return false;
        }

        value = value.AddTicks(ticks);
        return true;
    }

    /// <summary>Parses unix seconds with an optional fraction, e.g. "1396437466.94".</summary>
    public static bool TryParseUnixSeconds(ReadOnlySpan<char> text, out DateTime value)
    {
        value = default;
        int dot = text.IndexOf('.');
        var whole = dot < 0 ? text : text[..dot];
        if (whole.IsEmpty || whole.Length > 12 || !TryParseDigits(whole, out long seconds) || seconds > MaxUnixSeconds)
        {
            return false;
        }

        long ticks = 0;
        if (dot >= 0 && !TryParseFractionTicks(text[(dot + 1)..], out ticks))
        {
            return false;
        }

        long total = DateTime.UnixEpoch.Ticks + seconds * TimeSpan.TicksPerSecond + ticks;
        if (total > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTime(total, DateTimeKind.Utc);
        return true;
    }

    /// <summary>Writes "yyyy-MM-dd HH:mm:ss UTC" (sub-second parts are dropped) into <paramref name="destination"/>.</summary>
    public static bool TryFormatRees46(DateTime value, Span<char> destination, out int written)
    {
        written = 0;
        if (destination.Length < Rees46Length)
        {
            return false;
        }

        Write4(destination, value.Year);
        destination[4] = '-';
        Write2(destination[5..], value.Month);
        destination[7] = '-';
        Write2(destination[8..], value.Day);
        destination[10] = ' ';
        Write2(destination[11..], value.Hour);
        destination[13] = ':';
        Write2(destination[14..], value.Minute);
        destination[16] = ':';
        Write2(destination[17..], value.Second);
        " UTC".AsSpan().CopyTo(destination[19..]);
        written = Rees46Length;
        return true;
    }

    /// <summary>Parses "yyyy-MM-dd?HH:mm:ss" at the start of <paramref name="text"/> (separator at index 10 not checked).</summary>
    private static bool TryParseDateAndTime(ReadOnlySpan<char> text, out DateTime value)
    {
        value = default;
        if (text[4] != '-' || text[7] != '-' || text[13] != ':' || text[16] != ':')
        {
            return false;
        }

        if (!TryParseDigits(text[..4], out long year) || !TryParseDigits(text.Slice(5, 2), out long month) ||
            !TryParseDigits(text.Slice(8, 2), out long day) || !TryParseDigits(text.Slice(11, 2), out long hour) ||
            !TryParseDigits(text.Slice(14, 2), out long minute) || !TryParseDigits(text.Slice(17, 2), out long second))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth((int)year, (int)month) ||
            hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTime((int)year, (int)month, (int)day, (int)hour, (int)minute, (int)second, DateTimeKind.Utc);
        return true;
    }

    private static bool TryParseDigits(ReadOnlySpan<char> text, out long value)
    {
        value = 0;
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (char c in text)
        {
            uint digit = (uint)(c - '0');
            if (digit > 9)
            {
                return false;
            }

            value = value * 10 + digit;
        }

        return true;
    }

    /// <summary>Digits after the decimal point as ticks (100 ns); digits beyond the seventh are checked and dropped.</summary>
    private static bool TryParseFractionTicks(ReadOnlySpan<char> digits, out long ticks)
    {
        ticks = 0;
        if (digits.IsEmpty)
        {
            return false;
        }

        long scale = TimeSpan.TicksPerSecond;
        foreach (char c in digits)
        {
            uint digit = (uint)(c - '0');
            if (digit > 9)
            {
                return false;
            }

            if (scale > 1)
            {
                scale /= 10;
                ticks += digit * scale;
            }
        }

        return true;
    }

    private static void Write2(Span<char> destination, int value)
    {
        destination[0] = (char)('0' + value / 10);
        destination[1] = (char)('0' + value % 10);
    }

    private static void Write4(Span<char> destination, int value)
    {
        destination[0] = (char)('0' + value / 1000);
        destination[1] = (char)('0' + value / 100 % 10);
        destination[2] = (char)('0' + value / 10 % 10);
        destination[3] = (char)('0' + value % 10);
    }
}
