using System.IO.Compression;
using MicroMoment.Data;
using MicroMoment.Events;

namespace MicroMoment.Tests.Data;

/// <summary>Reads the shared real logs (see ../shared/data/README.md) and checks the counts against the raw text.</summary>
public class RealDataTests
{
    [Fact]
    public void RawRees46HeadHasTheDocumentedRowAndTypeCounts()
    {
        // Independent of the reader: plain line splitting over the decompressed text.
        var lines = RawLines(TestData.Rees46HeadPath).Skip(1).ToList();
        Assert.Equal(17_435, lines.Count);
        var types = lines.GroupBy(l => l.Split(',')[1]).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(17_056, types["view"]);
        Assert.Equal(165, types["cart"]);
        Assert.Equal(214, types["purchase"]);

        // The slice was cut mid-row: its last line has 8 columns and a shortened user id.
        Assert.Equal(8, lines[^1].Split(',').Length);
        Assert.All(lines.SkipLast(1), l => Assert.Equal(9, l.Split(',').Length));
    }

    [Fact]
    public void Rees46HeadReadsEveryCompleteRowAndRejectsOnlyTheTruncatedLastLine()
    {
        var report = new IngestReport();
        var events = Rees46CsvReader.Read(TestData.Rees46HeadPath, report).ToList();

        Assert.Equal(17_435, report.RowsRead);
        Assert.Equal(17_434, report.RowsAccepted);
        Assert.Equal(1, report.RowsRejected);
        Assert.Equal([17_436L], report.Files[0].FirstLines(RejectReason.TruncatedFinalLine));
        Assert.Equal(17_055, events.Count(e => e.Type == EventType.View));
        Assert.Equal(165, events.Count(e => e.Type == EventType.Cart));
        Assert.Equal(214, events.Count(e => e.Type == EventType.Purchase));
        Assert.Equal(4_504, events.Select(e => e.UserId).Distinct().Count());
        Assert.All(events, e => Assert.Equal(DateTimeKind.Utc, e.Timestamp.Kind));
        Assert.Equal(new DateTime(2019, 10, 1, 0, 0, 0, DateTimeKind.Utc), events.Min(e => e.Timestamp));
        Assert.Equal(new DateTime(2019, 10, 1, 2, 50, 0, DateTimeKind.Utc), events.Max(e => e.Timestamp));
        Assert.Equal("shiseido", events[0].Brand);
        Assert.Null(events[0].CategoryCode);
        Assert.Equal(35.79f, events[0].Price);
    }

    [Fact]
    public void EventLogReaderDetectsTheRees46HeadAndGivesTheSameEvents()
    {
        var direct = Rees46CsvReader.Read(TestData.Rees46HeadPath, new IngestReport()).ToList();
        var report = new IngestReport();
        var detected = EventLogReader.Read(TestData.Rees46HeadPath, report).ToList();

        Assert.Equal(LogFormat.Rees46Csv, EventLogReader.DetectFormat(TestData.Rees46HeadPath));
        Assert.Equal(direct, detected);
        Assert.Equal(Rees46CsvReader.FormatName, report.Files[0].Format);
    }

    [Fact]
    public void YoochooseSubsetReadsAllClicksOfAllSessions()
    {
        var report = new IngestReport();
        var events = EventLogReader.Read(TestData.YoochoosePath, report).ToList();

        Assert.Equal(YoochooseReader.TsvFormatName, report.Files[0].Format);
        Assert.Equal(70_278, report.RowsRead);
        Assert.Equal(0, report.RowsRejected);
        Assert.Equal(17_794, events.Select(e => e.UserId).Distinct().Count());
        Assert.All(events, e => Assert.StartsWith(YoochooseReader.UserPrefix, e.UserId));
        Assert.All(events, e => Assert.Equal(EventType.View, e.Type));
        Assert.InRange(events.Min(e => e.Timestamp), new DateTime(2014, 4, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2014, 4, 2, 0, 0, 0, DateTimeKind.Utc));
        Assert.InRange(events.Max(e => e.Timestamp), new DateTime(2014, 4, 7, 0, 0, 0, DateTimeKind.Utc), new DateTime(2014, 4, 8, 0, 0, 0, DateTimeKind.Utc));
    }

    internal static IEnumerable<string> RawLines(string gzipPath)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(gzipPath), CompressionMode.Decompress));
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }
}
