using MicroMoment.Data;

namespace MicroMoment.Tests.Data;

public class IngestReportTests
{
    private const string Header = Rees46CsvReader.ExpectedHeader + "\n";

    [Fact]
    public void NoUsableRowsMessageSaysWhichFileHowManyRowsWhyAndWhere()
    {
        var report = new IngestReport();
        string rows = string.Concat(Enumerable.Repeat("01/10/2019 00:00,view,1,2,,,1.00,7,s\n", 1234));
        _ = Rees46CsvReader.Read(TestStreams.Utf8(Header + rows), "X.csv", report).ToList();

        Assert.False(report.HasUsableRows);
        var error = Assert.Throws<NoUsableRowsException>(report.ThrowIfNoUsableRows);
        Assert.Contains(
            "file X.csv (REES46 CSV): 0 of 1,234 rows usable; 1,234 had a bad timestamp (expected 'yyyy-MM-dd HH:mm:ss UTC'), first at line 2",
            error.Message);
    }

    [Fact]
    public void NoUsableRowsMessageCoversEveryFileAndEveryReason()
    {
        var report = new IngestReport();
        _ = Rees46CsvReader.Read(TestStreams.Utf8(Header), "only-header.csv", report).ToList();
        _ = Rees46CsvReader.Read(TestStreams.Utf8(Header + "2019-10-01 00:00:00 UTC,view,1,2,,,1.00,,s\n2019-10-01 00:00:00 UTC,view,1,2,,,-1,7,s\n"), "bad.csv", report).ToList();

        var error = Assert.Throws<NoUsableRowsException>(report.ThrowIfNoUsableRows);
        Assert.Contains("file only-header.csv (REES46 CSV): no data rows", error.Message);
        Assert.Contains("1 had no user id (expected a non-empty user_id), first at line 2", error.Message);
        Assert.Contains("1 had a negative price (expected a price of 0 or more), first at line 3", error.Message);
    }

    [Fact]
    public void ReportWithoutFilesExplainsThatNothingWasRead()
    {
        var error = Assert.Throws<NoUsableRowsException>(new IngestReport().ThrowIfNoUsableRows);
        Assert.Contains("no input file was read", error.Message);
    }

    [Fact]
    public void TotalsAddUpOverFilesAndReasons()
    {
        var report = new IngestReport();
        _ = Rees46CsvReader.Read(TestStreams.Utf8(Header + "2019-10-01 00:00:00 UTC,view,1,2,,,1.00,7,s\nbad\n"), "a.csv", report).ToList();
        _ = Rees46CsvReader.Read(TestStreams.Utf8(Header + "2019-10-01 00:00:00 UTC,view,1,2,,,1.00,7,s\nbad\nbad,too\n"), "b.csv", report).ToList();

        Assert.Equal(5, report.RowsRead);
        Assert.Equal(2, report.RowsAccepted);
        Assert.Equal(3, report.RowsRejected);
        Assert.Equal(3, report.RejectedFor(RejectReason.WrongColumnCount));
        Assert.Equal([2L, 3L], report.Files.Select(f => f.RowsRead));
        Assert.Equal([3L, 4L], report.Files[1].FirstLines(RejectReason.WrongColumnCount));
        Assert.True(report.HasUsableRows);
        report.ThrowIfNoUsableRows();
    }

    [Fact]
    public void OnlyTheFirstSampleLimitLineNumbersAreKeptButAllRowsAreCounted()
    {
        var report = new IngestReport(sampleLimit: 3);
        var file = report.BeginFile("f", "fmt");
        for (int line = 2; line < 12; line++)
        {
            file.CountRejected(RejectReason.BadPrice, line);
        }

        Assert.Equal(10, report.RejectedFor(RejectReason.BadPrice));
        Assert.Equal([2L, 3L, 4L], file.FirstLines(RejectReason.BadPrice));
        Assert.Empty(file.FirstLines(RejectReason.BadTimestamp));
    }

    [Fact]
    public void SummaryListsTotalsReasonCodesAndPerFileLines()
    {
        var report = new IngestReport();
        _ = Rees46CsvReader.Read(TestStreams.Utf8(Header + "2019-10-01 00:00:00 UTC,view,1,2,,,1.00,7,s\n2019-10-01 00:00:00 UTC,view,x,2,,,1.00,7,s\n"), "a.csv", report).ToList();

        string summary = report.Summary();
        Assert.Contains("1 file(s), 2 rows read, 1 accepted, 1 rejected", summary);
        Assert.Contains("bad-product-id: 1", summary);
        Assert.Contains("a.csv (REES46 CSV): 2 rows read, 1 accepted, 1 rejected; 1 had a bad product id", summary);
        Assert.Contains("at lines 3", summary);
    }

    [Fact]
    public void EveryReasonHasADistinctStableCodeAndADescription()
    {
        var reasons = Enum.GetValues<RejectReason>();
        Assert.Equal(RejectReasons.Count, reasons.Length);
        Assert.Equal(reasons.Length, reasons.Select(RejectReasons.Code).Distinct().Count());
        Assert.All(reasons, r => Assert.StartsWith("had ", RejectReasons.Describe(r)));
        Assert.Equal("bad-timestamp", RejectReasons.Code(RejectReason.BadTimestamp));
    }
}
