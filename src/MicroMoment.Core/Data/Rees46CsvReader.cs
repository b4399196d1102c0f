using System.Globalization;
using System.Runtime.CompilerServices;
using MicroMoment.Events;

namespace MicroMoment.Data;

/// <summary>
/// Streams events from a REES46 "eCommerce behavior data" CSV (plain or gzip, detected by magic bytes):
/// <c>event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session</c>.
/// The text is never loaded whole; repeating strings are interned; bad rows are counted in the
/// <see cref="IngestReport"/> and skipped, never thrown. A missing or different header throws
/// <see cref="InvalidDataException"/> when enumeration starts; so does corrupt gzip data, naming the input.
/// (A gzip stream cut short is not detectable by the decompressor: it reads as a shorter log, usually ending in a
/// <see cref="RejectReason.TruncatedFinalLine"/>.)
/// </summary>
public static class Rees46CsvReader
{
    /// <summary>The format's name in reports and messages.</summary>
    public const string FormatName = "REES46 CSV";

    /// <summary>The header line as shipped.</summary>
    public const string ExpectedHeader = "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session";

    /// <summary>The timestamp syntax of event_time.</summary>
    public const string TimestampFormat = TimestampText.Rees46Format;

    /// <summary>The expected column names, in order.</summary>
    public static readonly IReadOnlyList<string> ExpectedColumns = ExpectedHeader.Split(',');

    private const int ColumnCount = 9;

    private static readonly IReadOnlyDictionary<RejectReason, string> Expectations = new Dictionary<RejectReason, string>
    {
        [RejectReason.WrongColumnCount] = $"expected {ColumnCount} comma-separated columns",
        [RejectReason.TruncatedFinalLine] = $"expected {ColumnCount} columns; the input ends mid-row",
        [RejectReason.RecordTooLong] = $"expected rows under {DelimitedRecordReader.DefaultMaxRecordChars:N0} characters",
        [RejectReason.MalformedQuotes] = "expected RFC 4180 quoting",
        [RejectReason.BadTimestamp] = $"expected '{TimestampFormat}'",
        [RejectReason.EmptyEventType] = "expected view, cart, remove_from_cart, purchase or another non-empty name",
        [RejectReason.BadProductId] = "expected a non-negative integer product_id",
        [RejectReason.BadCategoryId] = "expected a non-negative integer category_id or nothing",
        [RejectReason.BadPrice] = "expected a finite decimal price like 35.79, or nothing",
        [RejectReason.NegativePrice] = "expected a price of 0 or more",
        [RejectReason.MissingUser] = "expected a non-empty user_id",
    };

    /// <summary>Reads the file at <paramref name="path"/> lazily; the file is opened when enumeration starts.</summary>
    /// <param name="path">A REES46 CSV file, plain or gzip.</param>
    /// <param name="report">Receives the counts of this file.</param>
    /// <param name="tenant">The tenant of every event.</param>
    /// <param name="options">What to keep of each row; <see cref="EventReadOptions.Default"/> when null.</param>
    public static IEnumerable<ClickEvent> Read(string path, IngestReport report, string tenant = ClickEvent.DefaultTenant, EventReadOptions? options = null) =>
        LogReading.Read(path, report, tenant, Reader(options));

    /// <summary>Reads a REES46 CSV from <paramref name="stream"/> (plain or gzip) lazily; the stream is left open.</summary>
    /// <param name="stream">The raw bytes.</param>
    /// <param name="displayName">The name used in the report and in messages.</param>
    /// <param name="report">Receives the counts of this input.</param>
    /// <param name="tenant">The tenant of every event.</param>
    /// <param name="options">What to keep of each row; <see cref="EventReadOptions.Default"/> when null.</param>
    public static IEnumerable<ClickEvent> Read(Stream stream, string displayName, IngestReport report, string tenant = ClickEvent.DefaultTenant, EventReadOptions? options = null) =>
        LogReading.Read(stream, displayName, report, tenant, Reader(options));

    private static LogReading.RecordsReader Reader(EventReadOptions? options)
    {
        var chosen = options ?? EventReadOptions.Default;
        return (records, displayName, report, tenant) => ReadRecords(records, displayName, report, tenant, chosen);
    }

    /// <summary>Reads records from an already opened input whose first record is the header (read and checked on this call).</summary>
    internal static IEnumerable<ClickEvent> ReadRecords(DelimitedRecordReader records, string displayName, IngestReport report, string tenant, EventReadOptions options)
    {
        records.Delimiter = ',';
        ValidateHeader(records, displayName);
        var file = report.BeginFile(displayName, FormatName, Expectations);
        return LogReading.ParseRows(records, file, new RowParser(tenant, options.KeepSourceSession).TryParse);
    }

    private static void ValidateHeader(DelimitedRecordReader records, string displayName)
    {
        var status = records.Read();
        if (status == RecordStatus.EndOfData)
        {
            throw new InvalidDataException($"{FormatName} '{displayName}' is empty: expected the header line '{ExpectedHeader}'.{EventLogReader.DamageNote(records)}");
        }

        bool matches = status == RecordStatus.Record && records.FieldCount == ColumnCount;
        for (int i = 0; matches && i < ColumnCount; i++)
        {
            matches = records.Field(i).Trim().Equals(ExpectedColumns[i], StringComparison.OrdinalIgnoreCase);
        }

        if (matches)
        {
            return;
        }

        string actual = status switch
        {
            RecordStatus.Record => Shorten(string.Join(",", Enumerable.Range(0, records.FieldCount).Select(i => records.Field(i).ToString()))),
            RecordStatus.TooLong => $"a first line longer than {records.MaxRecordChars:N0} characters",
            _ => "a first line with malformed quoting",
        };
        throw new InvalidDataException(
            $"{FormatName} '{displayName}' has an unexpected header. Expected columns: {ExpectedHeader}. Actual: {actual}.{EventLogReader.DamageNote(records)}");
    }

    private static string Shorten(string text) => TextExcerpt.Of(text, 300);

    /// <summary>Turns one record into an event; holds the string pools of one input.</summary>
    private sealed class RowParser(string tenant, bool keepSourceSession)
    {
        private readonly StringPool _users = new(1 << 22);
        private readonly StringPool _sessions = new(1 << 20);
        private readonly StringPool _labels = new(1 << 16);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool TryParse(DelimitedRecordReader r, RecordStatus status, out ClickEvent evt, out RejectReason reason)
        {
            evt = default;
            if (!LogReading.CheckShape(r, status, ColumnCount, out reason))
            {
                return false;
            }

            if (!TimestampText.TryParseRees46(r.Field(0), out var timestamp))
            {
                reason = RejectReason.BadTimestamp;
                return false;
            }

            var typeText = r.Field(1);
            if (typeText.IsEmpty)
            {
                reason = RejectReason.EmptyEventType;
                return false;
            }

            var type = EventTypes.Parse(typeText);
            string? rawType = type == EventType.Other ? _labels.Intern(typeText) : null;

            if (!long.TryParse(r.Field(2), NumberStyles.None, CultureInfo.InvariantCulture, out long productId))
            {
                reason = RejectReason.BadProductId;
                return false;
            }

            long categoryId = 0;
            var categoryText = r.Field(3);
            if (!categoryText.IsEmpty && !long.TryParse(categoryText, NumberStyles.None, CultureInfo.InvariantCulture, out categoryId))
            {
                reason = RejectReason.BadCategoryId;
                return false;
            }

            float price = float.NaN;
            var priceText = r.Field(6);
            if (!priceText.IsEmpty)
            {
                if (!float.TryParse(priceText, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out price) ||
                    !float.IsFinite(price))
                {
                    reason = RejectReason.BadPrice;
                    return false;
                }

                if (price == 0f)
                {
                    price = 0f; // folds -0 into 0
                }
                else if (price < 0f)
                {
                    reason = RejectReason.NegativePrice;
                    return false;
                }
            }

            var userText = r.Field(7);
            if (userText.IsWhiteSpace())
            {
                reason = RejectReason.MissingUser;
                return false;
            }

            var categoryCodeText = r.Field(4);
            var brandText = r.Field(5);
            var sessionText = r.Field(8);
            evt = new ClickEvent(
                tenant,
                _users.Intern(userText),
                timestamp,
                type,
                productId,
                categoryId,
                categoryCodeText.IsEmpty ? null : _labels.Intern(categoryCodeText),
                brandText.IsEmpty ? null : _labels.Intern(brandText),
                price,
                RawType: rawType,
                SourceSession: !keepSourceSession || sessionText.IsEmpty ? null : _sessions.Intern(sessionText));
            reason = default;
            return true;
        }
    }
}
