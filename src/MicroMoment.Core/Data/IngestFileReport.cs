namespace MicroMoment.Data;

/// <summary>Counts of one input file within an <see cref="IngestReport"/>. Created by <see cref="IngestReport.BeginFile"/>.</summary>
public sealed class IngestFileReport
{
    private static readonly IReadOnlyList<long> NoLines = [];

    private readonly IngestReport _owner;
    private readonly long[] _rejected = new long[RejectReasons.Count];
    private readonly List<long>?[] _firstLines = new List<long>?[RejectReasons.Count];
    private readonly IReadOnlyDictionary<RejectReason, string> _expectations;

    internal IngestFileReport(IngestReport owner, string fileName, string format, IReadOnlyDictionary<RejectReason, string>? expectations)
    {
        _owner = owner;
        FileName = fileName;
        Format = format;
        _expectations = expectations ?? new Dictionary<RejectReason, string>();
    }

    /// <summary>The file's display name (the path as given, or the name given for a stream).</summary>
    public string FileName { get; }

    /// <summary>The input format, e.g. "REES46 CSV".</summary>
    public string Format { get; }

    /// <summary>Data rows read (header and empty lines excluded).</summary>
    public long RowsRead => RowsAccepted + RowsRejected;

    /// <summary>Rows turned into events.</summary>
    public long RowsAccepted { get; private set; }

    /// <summary>Rows skipped as unusable.</summary>
    public long RowsRejected { get; private set; }

    /// <summary>How the file's gzip data failed to end cleanly (rows after the damage are lost), or null when it ended cleanly or is plain text.</summary>
    public GzipDamage? Damage { get; private set; }

    /// <summary>A sentence about <see cref="Damage"/>: where it happened and what was lost; null without damage.</summary>
    public string? DamageDetail { get; private set; }

    /// <summary>True unless the file's data did not end cleanly (see <see cref="Damage"/>).</summary>
    public bool IsComplete => Damage is null;

    /// <summary>Rows rejected for <paramref name="reason"/>.</summary>
    public long RejectedFor(RejectReason reason) => _rejected[Index(reason)];

    /// <summary>The first line numbers (1-based, header is line 1) of rows rejected for <paramref name="reason"/>, up to the report's sample limit.</summary>
    public IReadOnlyList<long> FirstLines(RejectReason reason) => (IReadOnlyList<long>?)_firstLines[Index(reason)] ?? NoLines;

    /// <summary>What the format expects where <paramref name="reason"/> applies (e.g. "expected 'yyyy-MM-dd HH:mm:ss UTC'"), or null.</summary>
    public string? Expectation(RejectReason reason) => _expectations.GetValueOrDefault(reason);

    /// <summary>Counts one accepted row.</summary>
    public void CountAccepted()
    {
        RowsAccepted++;
        _owner.OnAccepted();
    }

    /// <summary>Counts one rejected row that starts on <paramref name="lineNumber"/>.</summary>
    public void CountRejected(RejectReason reason, long lineNumber)
    {
        int i = Index(reason);
        _rejected[i]++;
        RowsRejected++;
        var lines = _firstLines[i] ??= new List<long>(Math.Min(_owner.SampleLimit, 16));
        if (lines.Count < _owner.SampleLimit)
        {
            lines.Add(lineNumber);
        }

        _owner.OnRejected(reason);
    }

    /// <summary>Records that the file's gzip data did not end cleanly; readers call this when they reach the end.</summary>
    public void MarkDamaged(GzipDamage damage, string detail)
    {
        ArgumentException.ThrowIfNullOrEmpty(detail);
        Damage = damage;
        DamageDetail = detail;
    }

    /// <summary>What went wrong with the file's data and how many rows were read before it, or null when it ended cleanly.</summary>
    public string? DescribeDamage() => Damage is { } damage
        ? $"{GzipDamages.Code(damage)}: {DamageDetail}; {RowsRead:N0} rows were read before it"
        : null;

    /// <summary>One sentence about this file: counts, and for each reject reason its count, expectation and first lines, then any damage to its data.</summary>
    public string Describe()
    {
        var text = new System.Text.StringBuilder();
        text.Append($"{FileName} ({Format}): {RowsRead:N0} rows read, {RowsAccepted:N0} accepted, {RowsRejected:N0} rejected");
        foreach (var reason in Enum.GetValues<RejectReason>())
        {
            long n = RejectedFor(reason);
            if (n == 0)
            {
                continue;
            }

            text.Append($"; {n:N0} {RejectReasons.Describe(reason)}");
            if (Expectation(reason) is { } expected)
            {
                text.Append($" ({expected})");
            }

            text.Append(" at lines ").Append(string.Join(", ", FirstLines(reason).Select(l => l.ToString("N0"))));
            if (n > FirstLines(reason).Count)
            {
                text.Append(", ...");
            }
        }

        if (DescribeDamage() is { } damage)
        {
            text.Append("; INCOMPLETE, ").Append(damage);
        }

        return text.ToString();
    }

    private static int Index(RejectReason reason)
    {
        if ((uint)reason >= RejectReasons.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown reject reason.");
        }

        return (int)reason;
    }
}
