using MicroMoment.Events;

namespace MicroMoment.Data;

/// <summary>
/// Reads any supported event log: detects the format from the first line (after gunzip) and dispatches to
/// <see cref="Rees46CsvReader"/> or <see cref="YoochooseReader"/>. An unknown format throws
/// <see cref="InvalidDataException"/> listing the formats it knows.
/// </summary>
public static class EventLogReader
{
    private const int SniffChars = 4096;

    /// <summary>The formats this reader recognises, each with the first line that identifies it.</summary>
    public static IReadOnlyList<string> KnownFormats { get; } =
    [
        $"{Rees46CsvReader.FormatName} (header '{Rees46CsvReader.ExpectedHeader}')",
        $"{YoochooseReader.TsvFormatName} (tab-separated header '{YoochooseReader.ExpectedTsvHeader.Replace("\t", "<TAB>")}')",
        $"{YoochooseReader.ClicksCsvFormatName} (no header; rows like '{YoochooseReader.ClicksCsvExample}')",
    ];

    /// <summary>Reads the file at <paramref name="path"/> lazily, whatever its supported format; opened when enumeration starts.</summary>
    /// <param name="path">The log file, plain or gzip.</param>
    /// <param name="report">Receives the counts of this file.</param>
    /// <param name="tenant">The tenant of every event.</param>
    /// <param name="options">What to keep of each row; <see cref="EventReadOptions.Default"/> when null.</param>
    public static IEnumerable<ClickEvent> Read(string path, IngestReport report, string tenant = ClickEvent.DefaultTenant, EventReadOptions? options = null) =>
        LogReading.Read(path, report, tenant, Reader(options));

    /// <summary>Reads a log of any supported format from <paramref name="stream"/> lazily; the stream is left open.</summary>
    /// <param name="stream">The raw bytes, plain or gzip.</param>
    /// <param name="displayName">The name used in the report and in messages.</param>
    /// <param name="report">Receives the counts of this input.</param>
    /// <param name="tenant">The tenant of every event.</param>
    /// <param name="options">What to keep of each row; <see cref="EventReadOptions.Default"/> when null.</param>
    public static IEnumerable<ClickEvent> Read(Stream stream, string displayName, IngestReport report, string tenant = ClickEvent.DefaultTenant, EventReadOptions? options = null) =>
        LogReading.Read(stream, displayName, report, tenant, Reader(options));

    private static LogReading.RecordsReader Reader(EventReadOptions? options)
    {
        var chosen = options ?? EventReadOptions.Default;
        return (records, displayName, report, tenant) => Dispatch(records, displayName, report, tenant, chosen);
    }

    /// <summary>Tells the format from a log's first line (BOM and line break already removed).</summary>
    public static bool TryDetect(ReadOnlySpan<char> firstLine, out LogFormat format)
    {
        int comma = firstLine.IndexOf(',');
        var firstField = (comma < 0 ? firstLine : firstLine[..comma]).Trim().Trim('"');
        if (firstField.Equals("event_time", StringComparison.OrdinalIgnoreCase))
        {
            format = LogFormat.Rees46Csv;
            return true;
        }

        if (YoochooseReader.IsTsvHeader(firstLine))
        {
            format = LogFormat.YoochooseTsv;
            return true;
        }

        if (YoochooseReader.IsClicksCsvRow(firstLine))
        {
            format = LogFormat.RecSys2015ClicksCsv;
            return true;
        }

        format = default;
        return false;
    }

    /// <summary>Detects the format of the file at <paramref name="path"/> from its first line; throws when unknown.</summary>
    public static LogFormat DetectFormat(string path)
    {
        LogInput.RequireFile(path);
        using var stream = LogInput.OpenFile(path);
        using var records = LogReading.OpenRecords(stream, path);
        return Detect(records, path);
    }

    /// <summary>A line of the input for a message: escaped where it is not printable ASCII, and bounded (the input may be binary).</summary>
    internal static string Shorten(ReadOnlySpan<char> text) => TextExcerpt.Of(text);

    /// <summary>" The gzip data ...", when the input is gzip that did not end cleanly (and so may be why its first line is empty or unreadable).</summary>
    internal static string DamageNote(DelimitedRecordReader records) =>
        records.Gzip is { Damage: { } damage } gzip ? $" Its data is incomplete, {GzipDamages.Code(damage)}: {gzip.DamageDetail}." : string.Empty;

    private static LogFormat Detect(DelimitedRecordReader records, string displayName)
    {
        var firstLine = records.PeekLine(SniffChars);
        if (firstLine.IsEmpty)
        {
            throw new InvalidDataException($"Event log '{displayName}' is empty: expected one of: {string.Join("; ", KnownFormats)}.{DamageNote(records)}");
        }

        if (TryDetect(firstLine, out var format))
        {
            return format;
        }

        throw new InvalidDataException(
            $"Cannot tell the format of event log '{displayName}' from its first line '{Shorten(firstLine)}'. " +
            $"Known formats: {string.Join("; ", KnownFormats)}.{DamageNote(records)}");
    }

    private static IEnumerable<ClickEvent> Dispatch(DelimitedRecordReader records, string displayName, IngestReport report, string tenant, EventReadOptions options) =>
        Detect(records, displayName) switch
        {
            LogFormat.Rees46Csv => Rees46CsvReader.ReadRecords(records, displayName, report, tenant, options),
            LogFormat.YoochooseTsv => YoochooseReader.ReadTsvRecords(records, displayName, report, tenant),
            _ => YoochooseReader.ReadClicksCsvRecords(records, displayName, report, tenant),
        };
}
