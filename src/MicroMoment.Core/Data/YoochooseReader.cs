using System.Globalization;
using MicroMoment.Events;

namespace MicroMoment.Data;

/// <summary>
/// Streams YOOCHOOSE (RecSys Challenge 2015) clicks, plain or gzip: either the session-rec TSV with a header naming
/// <c>SessionId</c>, <c>ItemId</c> and <c>Time</c> (unix seconds, optional fraction; other columns ignored), or the
/// original clicks CSV <c>session,timestamp,item,category</c> without header (ISO 8601 UTC timestamps).
/// Every row becomes a <see cref="EventType.View"/> of user <c>"yc-" + session</c> with no price.
/// Bad rows are counted in the <see cref="IngestReport"/> and skipped, never thrown.
/// </summary>
public static class YoochooseReader
{
    /// <summary>Name of the session-rec TSV format in reports.</summary>
    public const string TsvFormatName = "YOOCHOOSE session-rec TSV";

    /// <summary>Name of the original RecSys 2015 clicks CSV format in reports.</summary>
    public const string ClicksCsvFormatName = "RecSys 2015 clicks CSV";

    /// <summary>Prefix of the user ids made from session ids.</summary>
    public const string UserPrefix = "yc-";

    /// <summary>The session-rec header.</summary>
    public const string ExpectedTsvHeader = "SessionId\tItemId\tTime";

    /// <summary>An example row of the original clicks CSV.</summary>
    public const string ClicksCsvExample = "1,2014-04-07T10:51:09.277Z,214536502,0";

    private static readonly IReadOnlyDictionary<RejectReason, string> TsvExpectations = new Dictionary<RejectReason, string>
    {
        [RejectReason.WrongColumnCount] = "expected as many tab-separated columns as the header",
        [RejectReason.TruncatedFinalLine] = "expected as many columns as the header; the input ends mid-row",
        [RejectReason.RecordTooLong] = $"expected rows under {DelimitedRecordReader.DefaultMaxRecordChars:N0} characters",
        [RejectReason.MalformedQuotes] = "expected RFC 4180 quoting",
        [RejectReason.BadTimestamp] = "expected unix seconds like 1396437466.94",
        [RejectReason.BadProductId] = "expected a non-negative integer ItemId",
        [RejectReason.BadSessionId] = "expected a non-negative integer SessionId",
    };

    private static readonly IReadOnlyDictionary<RejectReason, string> ClicksCsvExpectations = new Dictionary<RejectReason, string>
    {
        [RejectReason.WrongColumnCount] = "expected 4 comma-separated columns session,timestamp,item,category",
        [RejectReason.TruncatedFinalLine] = "expected 4 columns; the input ends mid-row",
        [RejectReason.RecordTooLong] = $"expected rows under {DelimitedRecordReader.DefaultMaxRecordChars:N0} characters",
        [RejectReason.MalformedQuotes] = "expected RFC 4180 quoting",
        [RejectReason.BadTimestamp] = "expected ISO 8601 UTC like 2014-04-07T10:51:09.277Z",
        [RejectReason.BadProductId] = "expected a non-negative integer item",
        [RejectReason.BadSessionId] = "expected a non-negative integer session",
    };

    /// <summary>Reads the file at <paramref name="path"/> lazily; the file is opened when enumeration starts.</summary>
    public static IEnumerable<ClickEvent> Read(string path, IngestReport report, string tenant = ClickEvent.DefaultTenant) =>
        LogReading.Read(path, report, tenant, ReadRecords);

    /// <summary>Reads YOOCHOOSE clicks from <paramref name="stream"/> (plain or gzip) lazily; the stream is left open.</summary>
    public static IEnumerable<ClickEvent> Read(Stream stream, string displayName, IngestReport report, string tenant = ClickEvent.DefaultTenant) =>
        LogReading.Read(stream, displayName, report, tenant, ReadRecords);

    /// <summary>True when <paramref name="firstLine"/> is a session-rec TSV header (tab-separated, naming SessionId).</summary>
    internal static bool IsTsvHeader(ReadOnlySpan<char> firstLine) =>
        firstLine.Contains('\t') && firstLine.Contains("SessionId", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="line"/> looks like a row of the original clicks CSV.</summary>
    internal static bool IsClicksCsvRow(ReadOnlySpan<char> line)
    {
        int first = line.IndexOf(',');
        if (first <= 0 || !long.TryParse(line[..first], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        var rest = line[(first + 1)..];
        int second = rest.IndexOf(',');
        return second > 0 && TimestampText.TryParseIso8601Utc(rest[..second], out _) && rest[(second + 1)..].Count(',') == 1;
    }

    /// <summary>Reads the session-rec TSV whose first record is the header (read and checked on this call).</summary>
    internal static IEnumerable<ClickEvent> ReadTsvRecords(DelimitedRecordReader records, string displayName, IngestReport report, string tenant)
    {
        records.Delimiter = '\t';
        var (columns, sessionColumn, itemColumn, timeColumn) = ReadTsvHeader(records, displayName);
        var file = report.BeginFile(displayName, TsvFormatName, TsvExpectations);
        var users = new StringPool(1 << 20, UserPrefix);
        return LogReading.ParseRows(records, file, (DelimitedRecordReader r, RecordStatus status, out ClickEvent evt, out RejectReason reason) =>
            TryParseTsv(r, status, columns, sessionColumn, itemColumn, timeColumn, users, tenant, out evt, out reason));
    }

    /// <summary>Reads the original clicks CSV (no header).</summary>
    internal static IEnumerable<ClickEvent> ReadClicksCsvRecords(DelimitedRecordReader records, string displayName, IngestReport report, string tenant)
    {
        records.Delimiter = ',';
        var file = report.BeginFile(displayName, ClicksCsvFormatName, ClicksCsvExpectations);
        var users = new StringPool(1 << 20, UserPrefix);
        var categories = new StringPool(1 << 16);
        return LogReading.ParseRows(records, file, (DelimitedRecordReader r, RecordStatus status, out ClickEvent evt, out RejectReason reason) =>
            TryParseClicksCsv(r, status, users, categories, tenant, out evt, out reason));
    }

    /// <summary>Chooses between the two layouts from the first line.</summary>
    internal static IEnumerable<ClickEvent> ReadRecords(DelimitedRecordReader records, string displayName, IngestReport report, string tenant)
    {
        var firstLine = records.PeekLine(4096);
        if (IsTsvHeader(firstLine))
        {
            return ReadTsvRecords(records, displayName, report, tenant);
        }

        if (firstLine.IsEmpty || IsClicksCsvRow(firstLine))
        {
            return ReadClicksCsvRecords(records, displayName, report, tenant);
        }

        throw new InvalidDataException(
            $"'{displayName}' is not YOOCHOOSE clicks: expected a {TsvFormatName} header like '{ExpectedTsvHeader.Replace("\t", "<TAB>")}' " +
            $"or {ClicksCsvFormatName} rows like '{ClicksCsvExample}'; the first line is '{EventLogReader.Shorten(firstLine)}'.{EventLogReader.DamageNote(records)}");
    }

    private static (int Columns, int Session, int Item, int Time) ReadTsvHeader(DelimitedRecordReader records, string displayName)
    {
        var status = records.Read();
        int session = -1, item = -1, time = -1, columns = 0;
        var names = new List<string>();
        if (status == RecordStatus.Record)
        {
            columns = records.FieldCount;
            for (int i = 0; i < columns; i++)
            {
                var name = records.Field(i).Trim();
                names.Add(name.ToString());
                if (name.Equals("SessionId", StringComparison.OrdinalIgnoreCase))
                {
                    session = i;
                }
                else if (name.Equals("ItemId", StringComparison.OrdinalIgnoreCase))
                {
                    item = i;
                }
                else if (name.Equals("Time", StringComparison.OrdinalIgnoreCase) || name.Equals("Timestamp", StringComparison.OrdinalIgnoreCase))
                {
                    time = i;
                }
            }
        }

        if (session < 0 || item < 0 || time < 0)
        {
            throw new InvalidDataException(
                $"{TsvFormatName} '{displayName}' has an unexpected header. Expected tab-separated columns SessionId, ItemId and Time; " +
                $"actual: {(names.Count == 0 ? "no readable header" : TextExcerpt.Of(string.Join(", ", names), 300))}.{EventLogReader.DamageNote(records)}");
        }

        return (columns, session, item, time);
    }

    private static bool TryParseTsv(
        DelimitedRecordReader r, RecordStatus status, int columns, int sessionColumn, int itemColumn, int timeColumn,
        StringPool users, string tenant, out ClickEvent evt, out RejectReason reason)
    {
        evt = default;
        if (!LogReading.CheckShape(r, status, columns, out reason))
        {
            return false;
        }

        var sessionText = r.Field(sessionColumn);
        if (!long.TryParse(sessionText, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            reason = RejectReason.BadSessionId;
            return false;
        }

        if (!long.TryParse(r.Field(itemColumn), NumberStyles.None, CultureInfo.InvariantCulture, out long item))
        {
            reason = RejectReason.BadProductId;
            return false;
        }

        if (!TimestampText.TryParseUnixSeconds(r.Field(timeColumn), out var timestamp))
        {
            reason = RejectReason.BadTimestamp;
            return false;
        }

        evt = new ClickEvent(tenant, users.Intern(sessionText), timestamp, EventType.View, item, 0, null, null, float.NaN);
        return true;
    }

    private static bool TryParseClicksCsv(
        DelimitedRecordReader r, RecordStatus status, StringPool users, StringPool categories, string tenant,
        out ClickEvent evt, out RejectReason reason)
    {
        evt = default;
        if (!LogReading.CheckShape(r, status, 4, out reason))
        {
            return false;
        }

        var sessionText = r.Field(0);
        if (!long.TryParse(sessionText, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            reason = RejectReason.BadSessionId;
            return false;
        }

        if (!TimestampText.TryParseIso8601Utc(r.Field(1), out var timestamp))
        {
            reason = RejectReason.BadTimestamp;
            return false;
        }

        if (!long.TryParse(r.Field(2), NumberStyles.None, CultureInfo.InvariantCulture, out long item))
        {
            reason = RejectReason.BadProductId;
            return false;
        }

        // The category column holds 0 (unknown), "S" (special offer), 1-12 (a category) or a brand number: numbers
        // become the category id, anything else is kept as the category code.
        var categoryText = r.Field(3);
        long categoryId = 0;
        string? categoryCode = null;
        if (!categoryText.IsEmpty && !long.TryParse(categoryText, NumberStyles.None, CultureInfo.InvariantCulture, out categoryId))
        {
            categoryId = 0;
            categoryCode = categories.Intern(categoryText);
        }

        evt = new ClickEvent(tenant, users.Intern(sessionText), timestamp, EventType.View, item, categoryId, categoryCode, null, float.NaN);
        return true;
    }
}
