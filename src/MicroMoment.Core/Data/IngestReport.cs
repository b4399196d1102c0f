using System.Text;

namespace MicroMoment.Data;

/// <summary>
/// What happened while reading one run's input (one or several files): rows read, accepted and rejected, with the
/// reject reasons, their first line numbers and per-file counts. Readers fill it while they are enumerated.
/// Not thread-safe.
/// </summary>
public sealed class IngestReport
{
    /// <summary>How many line numbers are kept per file and reason unless told otherwise.</summary>
    public const int DefaultSampleLimit = 10;

    private readonly List<IngestFileReport> _files = [];
    private readonly long[] _rejected = new long[RejectReasons.Count];

    /// <summary>Creates an empty report keeping up to <paramref name="sampleLimit"/> line numbers per file and reason.</summary>
    public IngestReport(int sampleLimit = DefaultSampleLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sampleLimit);
        SampleLimit = sampleLimit;
    }

    /// <summary>How many line numbers are kept per file and reason.</summary>
    public int SampleLimit { get; }

    /// <summary>The files read so far, in the order they were opened.</summary>
    public IReadOnlyList<IngestFileReport> Files => _files;

    /// <summary>Data rows read over all files.</summary>
    public long RowsRead => RowsAccepted + RowsRejected;

    /// <summary>Rows turned into events over all files.</summary>
    public long RowsAccepted { get; private set; }

    /// <summary>Rows rejected over all files.</summary>
    public long RowsRejected { get; private set; }

    /// <summary>True when at least one row was accepted.</summary>
    public bool HasUsableRows => RowsAccepted > 0;

    /// <summary>True unless the data of a file read did not end cleanly (a truncated or corrupt gzip file; see <see cref="IngestFileReport.Damage"/>).</summary>
    public bool IsComplete => _files.TrueForAll(f => f.IsComplete);

    /// <summary>The files whose data did not end cleanly, in reading order.</summary>
    public IReadOnlyList<IngestFileReport> IncompleteFiles => _files.FindAll(f => !f.IsComplete);

    /// <summary>Rows rejected for <paramref name="reason"/> over all files.</summary>
    public long RejectedFor(RejectReason reason)
    {
        if ((uint)reason >= RejectReasons.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown reject reason.");
        }

        return _rejected[(int)reason];
    }

    /// <summary>Starts counting a new input; readers call this once per file they open.</summary>
    /// <param name="fileName">The display name used in messages.</param>
    /// <param name="format">The input format's readable name.</param>
    /// <param name="expectations">For some reasons, what the format expects (e.g. the timestamp syntax).</param>
    public IngestFileReport BeginFile(string fileName, string format, IReadOnlyDictionary<RejectReason, string>? expectations = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentException.ThrowIfNullOrEmpty(format);
        var file = new IngestFileReport(this, fileName, format, expectations);
        _files.Add(file);
        return file;
    }

    /// <summary>A readable multi-line summary: totals, then one line per file with its reject reasons.</summary>
    public string Summary()
    {
        var text = new StringBuilder();
        text.Append($"Ingest: {_files.Count:N0} file(s), {RowsRead:N0} rows read, {RowsAccepted:N0} accepted, {RowsRejected:N0} rejected");
        foreach (var reason in Enum.GetValues<RejectReason>())
        {
            if (RejectedFor(reason) > 0)
            {
                text.Append($"\n  {RejectReasons.Code(reason)}: {RejectedFor(reason):N0}");
            }
        }

        foreach (var damage in Enum.GetValues<GzipDamage>())
        {
            int files = _files.Count(f => f.Damage == damage);
            if (files > 0)
            {
                text.Append($"\n  {GzipDamages.Code(damage)}: {files:N0} file(s), rows after the damage lost");
            }
        }

        foreach (var file in _files)
        {
            text.Append("\n  - ").Append(file.Describe());
        }

        return text.ToString();
    }

    /// <summary>Throws <see cref="NoUsableRowsException"/> explaining, file by file, why no row was usable.</summary>
    public void ThrowIfNoUsableRows()
    {
        if (HasUsableRows)
        {
            return;
        }

        if (_files.Count == 0)
        {
            throw new NoUsableRowsException("No usable rows: no input file was read.");
        }

        var parts = new List<string>(_files.Count);
        foreach (var file in _files)
        {
            parts.Add(ExplainUnusable(file));
        }

        throw new NoUsableRowsException("No usable rows. " + string.Join(" ", parts));
    }

    /// <summary>
    /// Throws <see cref="IncompleteInputException"/> naming every file whose data did not end cleanly, what was wrong and
    /// how many rows were read from it; <paramref name="advice"/> (e.g. how to accept partial input) ends the message.
    /// </summary>
    public void ThrowIfIncomplete(string? advice = null)
    {
        if (IsComplete)
        {
            return;
        }

        var parts = IncompleteFiles.Select(f => $"{f.FileName}: {f.DescribeDamage()}.");
        throw new IncompleteInputException($"Incomplete input, rows lost: {string.Join(" ", parts)}{(advice is null ? string.Empty : " " + advice)}");
    }

    internal void OnAccepted() => RowsAccepted++;

    internal void OnRejected(RejectReason reason)
    {
        _rejected[(int)reason]++;
        RowsRejected++;
    }

    private static string ExplainUnusable(IngestFileReport file)
    {
        if (file.RowsRead == 0)
        {
            return $"file {file.FileName} ({file.Format}): no data rows{(file.DescribeDamage() is { } problem ? $" ({problem})" : string.Empty)}.";
        }

        var text = new StringBuilder();
        text.Append($"file {file.FileName} ({file.Format}): {file.RowsAccepted:N0} of {file.RowsRead:N0} rows usable");
        foreach (var reason in Enum.GetValues<RejectReason>())
        {
            long n = file.RejectedFor(reason);
            if (n == 0)
            {
                continue;
            }

            text.Append($"; {n:N0} {RejectReasons.Describe(reason)}");
            if (file.Expectation(reason) is { } expected)
            {
                text.Append($" ({expected})");
            }

            if (file.FirstLines(reason).Count > 0)
            {
                text.Append($", first at line {file.FirstLines(reason)[0]:N0}");
            }
        }

        if (file.DescribeDamage() is { } damage)
        {
            text.Append("; ").Append(damage);
        }

        return text.Append('.').ToString();
    }
}
