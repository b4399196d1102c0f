using MicroMoment.Events;

namespace MicroMoment.Data;

/// <summary>
/// The plumbing every event log reader shares: the argument checks of the public <c>Read</c> overloads, opening a
/// path or stream (plain or gzip) as delimited records, the row loop that counts accepted and rejected rows in the
/// <see cref="IngestReport"/>, and the shape check of a row.
/// </summary>
internal static class LogReading
{
    /// <summary>Reads the events of an opened input whose first record has not been read yet.</summary>
    public delegate IEnumerable<ClickEvent> RecordsReader(DelimitedRecordReader records, string displayName, IngestReport report, string tenant);

    /// <summary>Turns the current record into an event, or says why the row is rejected.</summary>
    public delegate bool RowParser(DelimitedRecordReader records, RecordStatus status, out ClickEvent evt, out RejectReason reason);

    /// <summary>Checks the arguments now and reads the file at <paramref name="path"/> lazily with <paramref name="read"/>.</summary>
    public static IEnumerable<ClickEvent> Read(string path, IngestReport report, string tenant, RecordsReader read)
    {
        LogInput.RequireFile(path);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        return ReadFile(path, report, tenant, read);
    }

    /// <summary>Checks the arguments now and reads <paramref name="stream"/> lazily with <paramref name="read"/>; the stream is left open.</summary>
    public static IEnumerable<ClickEvent> Read(Stream stream, string displayName, IngestReport report, string tenant, RecordsReader read)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrEmpty(displayName);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        return ReadStream(stream, displayName, report, tenant, read);
    }

    /// <summary>
    /// Opens <paramref name="stream"/> (left open) as records. The delimiter starts as a comma; each format's
    /// <see cref="RecordsReader"/> sets its own before reading the first record.
    /// </summary>
    public static DelimitedRecordReader OpenRecords(Stream stream, string displayName)
    {
        var text = LogInput.OpenText(stream, leaveOpen: true, out var gzip);
        return new DelimitedRecordReader(text, ',', sourceName: displayName) { Gzip = gzip };
    }

    /// <summary>
    /// Parses every remaining record with <paramref name="parse"/>, counting each row in <paramref name="file"/>,
    /// and yields the accepted events; at the end, records in <paramref name="file"/> gzip data that did not end cleanly.
    /// </summary>
    public static IEnumerable<ClickEvent> ParseRows(DelimitedRecordReader records, IngestFileReport file, RowParser parse)
    {
        while (true)
        {
            var status = records.Read();
            if (status == RecordStatus.EndOfData)
            {
                if (records.Gzip is { Damage: { } damage } gzip)
                {
                    file.MarkDamaged(damage, gzip.DamageDetail!);
                }

                yield break;
            }

            if (parse(records, status, out var evt, out var reason))
            {
                file.CountAccepted();
                yield return evt;
            }
            else
            {
                file.CountRejected(reason, records.LineNumber);
            }
        }
    }

    /// <summary>
    /// Rejects a record that is too long, badly quoted or not <paramref name="columns"/> fields wide (a short record
    /// that the input ends in without a line break counts as <see cref="RejectReason.TruncatedFinalLine"/>, as does
    /// any unterminated last record of gzip data that broke off).
    /// </summary>
    public static bool CheckShape(DelimitedRecordReader r, RecordStatus status, int columns, out RejectReason reason)
    {
        reason = default;
        switch (status)
        {
            case RecordStatus.TooLong:
                reason = RejectReason.RecordTooLong;
                return false;
            case RecordStatus.MalformedQuotes:
                reason = RejectReason.MalformedQuotes;
                return false;
        }

        if (!r.IsTerminated && r.Gzip?.Damage is GzipDamage.Truncated or GzipDamage.Corrupt)
        {
            // The gzip data broke off: the unterminated last line was cut, however many columns it kept.
            reason = RejectReason.TruncatedFinalLine;
            return false;
        }

        if (r.FieldCount != columns)
        {
            reason = !r.IsTerminated && r.FieldCount < columns ? RejectReason.TruncatedFinalLine : RejectReason.WrongColumnCount;
            return false;
        }

        return true;
    }

    private static IEnumerable<ClickEvent> ReadFile(string path, IngestReport report, string tenant, RecordsReader read)
    {
        using var stream = LogInput.OpenFile(path);
        using var records = OpenRecords(stream, path);
        foreach (var evt in read(records, path, report, tenant))
        {
            yield return evt;
        }
    }

    private static IEnumerable<ClickEvent> ReadStream(Stream stream, string displayName, IngestReport report, string tenant, RecordsReader read)
    {
        using var records = OpenRecords(stream, displayName);
        foreach (var evt in read(records, displayName, report, tenant))
        {
            yield return evt;
        }
    }
}
