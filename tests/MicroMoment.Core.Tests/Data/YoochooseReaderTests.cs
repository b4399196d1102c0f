using MicroMoment.Data;
using MicroMoment.Events;

namespace MicroMoment.Tests.Data;

public class YoochooseReaderTests
{
    private static (List<ClickEvent> Events, IngestReport Report) ReadText(string text)
    {
        var report = new IngestReport();
        return (YoochooseReader.Read(TestStreams.Utf8(text), "yc.txt", report).ToList(), report);
    }

    [Fact]
    public void SessionRecRowsBecomeViewsOfPrefixedSessionUsersWithFractionalSeconds()
    {
        var (events, report) = ReadText("SessionId\tItemId\tTime\n3\t214716935\t1396437466.94\n3\t214832672\t1396438212\n");

        Assert.Equal(2, events.Count);
        var e = events[0];
        Assert.Equal("yc-3", e.UserId);
        Assert.Equal(ClickEvent.DefaultTenant, e.Tenant);
        Assert.Equal(EventType.View, e.Type);
        Assert.Equal(214716935, e.ProductId);
        Assert.Equal(0, e.CategoryId);
        Assert.True(float.IsNaN(e.Price));
        Assert.Equal(DateTime.UnixEpoch.AddSeconds(1396437466).AddMilliseconds(940), e.Timestamp);
        Assert.Equal(DateTimeKind.Utc, e.Timestamp.Kind);
        Assert.Same(events[0].UserId, events[1].UserId);
        Assert.Equal(YoochooseReader.TsvFormatName, report.Files[0].Format);
    }

    [Fact]
    public void TsvColumnsAreFoundByNameInAnyOrderWithExtraColumnsIgnored()
    {
        var (events, _) = ReadText("Time\tExtra\tItemId\tSessionId\r\n1396437466.5\tz\t9\t11\r\n");
        var e = Assert.Single(events);
        Assert.Equal("yc-11", e.UserId);
        Assert.Equal(9, e.ProductId);
    }

    [Fact]
    public void BadTsvRowsAreCountedWithTheirReason()
    {
        var (events, report) = ReadText("SessionId\tItemId\tTime\nx\t1\t1396437466\n1\t-5\t1396437466\n1\t1\t2014-04-01\n1\t1\n1\t1\t1396437466\n");
        Assert.Single(events);
        Assert.Equal([2L], report.Files[0].FirstLines(RejectReason.BadSessionId));
        Assert.Equal([3L], report.Files[0].FirstLines(RejectReason.BadProductId));
        Assert.Equal([4L], report.Files[0].FirstLines(RejectReason.BadTimestamp));
        Assert.Equal([5L], report.Files[0].FirstLines(RejectReason.WrongColumnCount));
    }

    [Fact]
    public void TsvHeaderWithoutTheNeededColumnsThrowsNamingThem()
    {
        var events = YoochooseReader.Read(TestStreams.Utf8("SessionId\tProduct\tWhen\n1\t2\t3\n"), "odd.tsv", new IngestReport());
        var error = Assert.Throws<InvalidDataException>(() => events.ToList());
        Assert.Contains("SessionId, ItemId and Time", error.Message);
        Assert.Contains("SessionId, Product, When", error.Message);
    }

    [Fact]
    public void OriginalClicksCsvIsReadWithNumericCategoriesAsIdsAndOthersAsCodes()
    {
        var (events, report) = ReadText("1,2014-04-07T10:51:09.277Z,214536502,0\n1,2014-04-07T10:54:09Z,214536500,S\n2,2014-04-07T10:57:09.1234567Z,214536506,2053013559\n");

        Assert.Equal(3, events.Count);
        Assert.Equal(new DateTime(2014, 4, 7, 10, 51, 9, 277, DateTimeKind.Utc), events[0].Timestamp);
        Assert.Equal(0, events[0].CategoryId);
        Assert.Null(events[0].CategoryCode);
        Assert.Equal("S", events[1].CategoryCode);
        Assert.Equal(2053013559, events[2].CategoryId);
        Assert.Equal(new DateTime(2014, 4, 7, 10, 57, 9, DateTimeKind.Utc).AddTicks(1234567), events[2].Timestamp);
        Assert.Equal("yc-2", events[2].UserId);
        Assert.Equal(YoochooseReader.ClicksCsvFormatName, report.Files[0].Format);
    }

    [Fact]
    public void UnrecognisedFirstLineThrowsDescribingBothLayouts()
    {
        var events = YoochooseReader.Read(TestStreams.Utf8("hello world\n"), "what.txt", new IngestReport());
        var error = Assert.Throws<InvalidDataException>(() => events.ToList());
        Assert.Contains("SessionId<TAB>ItemId<TAB>Time", error.Message);
        Assert.Contains(YoochooseReader.ClicksCsvExample, error.Message);
        Assert.Contains("hello world", error.Message);
    }
}
