using System.IO.Compression;
using System.Text;
using MicroMoment.Data;

namespace MicroMoment.Tests.Data;

/// <summary>
/// A gzip log that does not end cleanly (cut short, its trailer dropped, a checksum that does not match, bytes after it
/// that are not gzip) is read up to the damage and reported with the rows read; a whole file, one member or several,
/// reads clean.
/// </summary>
public class GzipIntegrityTests
{
    private static readonly Lazy<byte[]> Sample = new(() => File.ReadAllBytes(TestData.Rees46HeadPath));

    private static IngestReport Read(byte[] bytes, string name = "cut.csv.gz")
    {
        var report = new IngestReport();
        foreach (var _ in EventLogReader.Read(new MemoryStream(bytes), name, report))
        {
        }

        return report;
    }

    /// <summary>The rows a reader should see in what plain <see cref="GZipStream"/> decodes of <paramref name="bytes"/>: complete lines after the header, plus a last partial line (and whether there is one).</summary>
    private static (long Rows, bool PartialLine) RowsInDecodablePrefix(byte[] bytes)
    {
        var text = new MemoryStream();
        try
        {
            using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            gzip.CopyTo(text);
        }
        catch (InvalidDataException)
        {
            // A dropped trailer read as data can fail zlib's check; what was decoded before stays in 'text'.
        }

        var lines = Encoding.UTF8.GetString(text.ToArray()).Split('\n');
        return (lines.Length - 1 - 1 + (lines[^1].Length > 0 ? 1 : 0), lines[^1].Length > 0);
    }

    [Fact]
    public void WholeSampleReadsCleanWithNoDamage()
    {
        var report = Read(Sample.Value, "2019-Oct-head.csv.gz");
        Assert.True(report.IsComplete);
        Assert.Null(report.Files[0].Damage);
        Assert.Equal(17_435, report.RowsRead);
        Assert.DoesNotContain("gzip-", report.Summary(), StringComparison.Ordinal);
        report.ThrowIfIncomplete();
    }

    [Theory]
    [InlineData(0.02)]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.75)]
    [InlineData(0.999)]
    public void SampleCutShortIsReportedAsTruncatedWithTheRowsRead(double fraction)
    {
        byte[] cut = Sample.Value[..(int)(Sample.Value.Length * fraction)];
        var report = Read(cut);

        var file = report.Files[0];
        Assert.Equal(GzipDamage.Truncated, file.Damage);
        Assert.False(report.IsComplete);
        var (rows, partial) = RowsInDecodablePrefix(cut);
        Assert.Equal(rows, file.RowsRead);
        Assert.Equal(partial ? 1 : 0, file.RejectedFor(RejectReason.TruncatedFinalLine)); // the cut line, whatever columns it kept
        Assert.Equal(rows - (partial ? 1 : 0), file.RowsAccepted);
        Assert.InRange(file.RowsRead, 1, 17_434);
        Assert.Contains($"INCOMPLETE, gzip-truncated: the gzip data ends in the middle of a member, after {cut.Length:N0} compressed bytes", report.Summary(), StringComparison.Ordinal);
        Assert.Contains($"{file.RowsRead:N0} rows were read before it", report.Summary(), StringComparison.Ordinal);
        Assert.Contains("gzip-truncated: 1 file(s)", report.Summary(), StringComparison.Ordinal);
        var error = Assert.Throws<IncompleteInputException>(() => report.ThrowIfIncomplete("Advice."));
        Assert.Contains($"cut.csv.gz: gzip-truncated", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("Advice.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryCutPointOfTheSampleIsCaught()
    {
        // 60 cuts spread over the file, the last bytes included: no cut of a one-member file can look whole.
        var bytes = Sample.Value;
        var cuts = Enumerable.Range(1, 50).Select(i => (int)((long)bytes.Length * i / 51)).Concat([bytes.Length - 9, bytes.Length - 5, bytes.Length - 3, bytes.Length - 2, bytes.Length - 1, 3, 10, 11, 12, 20]);
        foreach (int at in cuts)
        {
            try
            {
                var report = Read(bytes[..at]);
                Assert.True(report.Files[0].Damage == GzipDamage.Truncated, $"A cut at byte {at} of {bytes.Length} was not reported as truncated.");
            }
            catch (InvalidDataException ex)
            {
                // Cut before the header line is whole: the format cannot be told, and the error says why.
                Assert.True(ex.Message.Contains("gzip-truncated", StringComparison.Ordinal), $"A cut at byte {at}: {ex.Message}");
            }
        }
    }

    [Fact]
    public void CutBeforeTheFirstLineEndsNamesTheDamageInTheError()
    {
        var error = Assert.Throws<InvalidDataException>(() => Read(Sample.Value[..12]));
        Assert.Contains("gzip-truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DroppedTrailerIsReportedAsTruncatedAfterEveryRow()
    {
        var report = Read(Sample.Value[..^8]);
        Assert.Equal(GzipDamage.Truncated, report.Files[0].Damage);
        Assert.Equal(17_435, report.RowsRead);
        Assert.Contains("lost its trailer", report.Summary(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8)] // first byte of the CRC-32
    [InlineData(5)] // a byte of the CRC-32
    [InlineData(2)] // a byte of the length (ISIZE)
    public void TrailerThatDoesNotMatchIsReportedAsCorrupt(int fromEnd)
    {
        byte[] bad = (byte[])Sample.Value.Clone();
        bad[^fromEnd] ^= 0x55;
        var report = Read(bad);

        Assert.Equal(GzipDamage.Corrupt, report.Files[0].Damage);
        Assert.InRange(report.RowsRead, 1, 17_435);
        Assert.Contains("gzip-corrupt", report.Summary(), StringComparison.Ordinal);
        Assert.Contains("CRC-32 or length mismatch", report.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralMembersReadCleanAndGiveTheSameEventsAsOne()
    {
        string text = Decompress(Sample.Value);
        int third = text.Length / 3;
        byte[] members = [.. Member(text[..third]), .. Member(text[third..(2 * third)]), .. Member(text[(2 * third)..])];

        var whole = new IngestReport();
        var expected = EventLogReader.Read(new MemoryStream(Sample.Value), "one", whole).ToList();
        var report = new IngestReport();
        var events = EventLogReader.Read(new MemoryStream(members), "three", report).ToList();

        Assert.True(report.IsComplete);
        Assert.Equal(expected, events);

        // Cut inside the last member, or drop its trailer: truncated.
        Assert.Equal(GzipDamage.Truncated, Read(members[..^100]).Files[0].Damage);
        Assert.Equal(GzipDamage.Truncated, Read(members[..^8]).Files[0].Damage);
    }

    [Fact]
    public void BytesAfterTheGzipDataThatAreNotGzipAreReported()
    {
        var report = Read([.. Sample.Value, .. "not gzip at all\n"u8.ToArray()]);
        Assert.Equal(GzipDamage.TrailingData, report.Files[0].Damage);
        Assert.Equal(17_435, report.RowsRead);
        Assert.Contains("gzip-trailing-data", report.Summary(), StringComparison.Ordinal);
    }

    [Fact]
    public void YoochooseSampleCutShortIsReportedToo()
    {
        byte[] bytes = File.ReadAllBytes(TestData.YoochoosePath);
        var whole = Read(bytes, "yoochoose.gz");
        Assert.True(whole.IsComplete);
        var cut = Read(bytes[..(bytes.Length / 2)], "yoochoose.gz");
        Assert.Equal(GzipDamage.Truncated, cut.Files[0].Damage);
        Assert.InRange(cut.RowsRead, 1, whole.RowsRead - 1);
    }

    private static string Decompress(byte[] bytes)
    {
        using var gzip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static byte[] Member(string text) => TestStreams.GzipBytes(Encoding.UTF8.GetBytes(text));
}
