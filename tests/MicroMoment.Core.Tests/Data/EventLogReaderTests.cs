using MicroMoment.Data;
using MicroMoment.Events;

namespace MicroMoment.Tests.Data;

public class EventLogReaderTests
{
    [Theory]
    [InlineData(Rees46CsvReader.ExpectedHeader + "\n2019-10-01 00:00:00 UTC,cart,1,2,,,1.00,7,s\n", Rees46CsvReader.FormatName)]
    [InlineData("SessionId\tItemId\tTime\n5\t6\t1396437466\n", YoochooseReader.TsvFormatName)]
    [InlineData("5,2014-04-07T10:51:09.277Z,6,0\n", YoochooseReader.ClicksCsvFormatName)]
    public void FormatIsDetectedFromTheFirstLineAndTheMatchingReaderIsUsed(string text, string expectedFormat)
    {
        foreach (bool gzip in new[] { false, true })
        {
            var report = new IngestReport();
            var stream = gzip ? TestStreams.Gzip(text) : TestStreams.Utf8(text);
            var e = Assert.Single(EventLogReader.Read(stream, "log", report, "t1"));
            Assert.Equal("t1", e.Tenant);
            Assert.Equal(expectedFormat, report.Files[0].Format);
        }
    }

    [Fact]
    public void EachKnownFirstLineMapsToItsFormat()
    {
        Assert.True(EventLogReader.TryDetect(Rees46CsvReader.ExpectedHeader, out var a));
        Assert.Equal(LogFormat.Rees46Csv, a);
        Assert.True(EventLogReader.TryDetect("SessionId\tItemId\tTime", out var b));
        Assert.Equal(LogFormat.YoochooseTsv, b);
        Assert.True(EventLogReader.TryDetect(YoochooseReader.ClicksCsvExample, out var c));
        Assert.Equal(LogFormat.RecSys2015ClicksCsv, c);
        Assert.False(EventLogReader.TryDetect("a,b,c", out _));
    }

    [Fact]
    public void Rees46LookalikeWithWrongColumnsIsDetectedAsRees46AndGetsTheHeaderError()
    {
        var events = EventLogReader.Read(TestStreams.Utf8("event_time,event_type\n"), "short.csv", new IngestReport());
        var error = Assert.Throws<InvalidDataException>(() => events.ToList());
        Assert.Contains("Expected columns: " + Rees46CsvReader.ExpectedHeader, error.Message);
    }

    [Fact]
    public void UnknownFormatThrowsListingTheKnownFormats()
    {
        var events = EventLogReader.Read(TestStreams.Utf8("{\"json\": true}\n"), "log.json", new IngestReport());
        var error = Assert.Throws<InvalidDataException>(() => events.ToList());
        Assert.Contains("log.json", error.Message);
        Assert.Contains("{\"json\": true}", error.Message);
        foreach (string known in EventLogReader.KnownFormats)
        {
            Assert.Contains(known, error.Message);
        }
    }

    [Fact]
    public void EmptyLogThrowsSayingItIsEmpty()
    {
        var events = EventLogReader.Read(TestStreams.Gzip(string.Empty), "empty.gz", new IngestReport());
        var error = Assert.Throws<InvalidDataException>(() => events.ToList());
        Assert.Contains("is empty", error.Message);
    }

    [Fact]
    public void DetectFormatOfAFileLooksOnlyAtTheFirstLine()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mm-detect-{Guid.NewGuid():N}.bin");
        try
        {
            File.WriteAllBytes(path, TestStreams.Gzip("SessionId\tItemId\tTime\ngarbage\n").ToArray());
            Assert.Equal(LogFormat.YoochooseTsv, EventLogReader.DetectFormat(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
