using MicroMoment.Data;
using MicroMoment.Events;

namespace MicroMoment.Tests.Data;

public class Rees46CsvReaderTests
{
    private const string Header = Rees46CsvReader.ExpectedHeader + "\n";

    private static (List<ClickEvent> Events, IngestReport Report) ReadText(string text, string tenant = ClickEvent.DefaultTenant)
    {
        var report = new IngestReport();
        var events = Rees46CsvReader.Read(TestStreams.Utf8(text), "test.csv", report, tenant).ToList();
        return (events, report);
    }

    [Fact]
    public void ShippedRowBecomesAnEventWithEveryFieldMapped()
    {
        var (events, report) = ReadText(Header +
            "2019-10-01 00:00:01 UTC,view,17200506,2053013559792632471,furniture.living_room.sofa,ikea,543.10,519107250,566511c2-e2e3\n", "shop-1");

        var e = Assert.Single(events);
        Assert.Equal("shop-1", e.Tenant);
        Assert.Equal("519107250", e.UserId);
        Assert.Equal(new DateTime(2019, 10, 1, 0, 0, 1, DateTimeKind.Utc), e.Timestamp);
        Assert.Equal(DateTimeKind.Utc, e.Timestamp.Kind);
        Assert.Equal(EventType.View, e.Type);
        Assert.Equal(17200506, e.ProductId);
        Assert.Equal(2053013559792632471, e.CategoryId);
        Assert.Equal("furniture.living_room.sofa", e.CategoryCode);
        Assert.Equal("ikea", e.Brand);
        Assert.Equal(543.10f, e.Price);
        Assert.Equal("566511c2-e2e3", e.SourceSession);
        Assert.Null(e.RawType);
        Assert.Equal(1, report.RowsRead);
        Assert.Equal(1, report.RowsAccepted);
    }

    [Fact]
    public void EmptyCategoryCodeBrandAndPriceBecomeNullNullAndNaN()
    {
        var (events, report) = ReadText(Header + "2019-10-01 00:00:00 UTC,cart,1,2,,,,7,\n");

        var e = Assert.Single(events);
        Assert.Null(e.CategoryCode);
        Assert.Null(e.Brand);
        Assert.True(float.IsNaN(e.Price));
        Assert.False(e.HasPrice);
        Assert.Null(e.SourceSession);
        Assert.Equal(0, report.RowsRejected);
    }

    [Fact]
    public void UnknownNonEmptyTypeIsKeptAsOtherWithItsRawNameButEmptyTypeIsRejected()
    {
        var (events, report) = ReadText(Header +
            "2019-10-01 00:00:00 UTC,wishlist,1,2,,,1.00,7,s\n" +
            "2019-10-01 00:00:00 UTC,,1,2,,,1.00,7,s\n" +
            "2019-10-01 00:00:00 UTC,PURCHASE,1,2,,,1.00,7,s\n");

        Assert.Equal(2, events.Count);
        Assert.Equal(EventType.Other, events[0].Type);
        Assert.Equal("wishlist", events[0].RawType);
        Assert.Equal(EventType.Purchase, events[1].Type);
        Assert.Null(events[1].RawType);
        Assert.Equal(1, report.RejectedFor(RejectReason.EmptyEventType));
        Assert.Equal([3L], report.Files[0].FirstLines(RejectReason.EmptyEventType));
    }

    [Fact]
    public void BadRowsAreCountedByReasonWithLineNumbersAndSkipped()
    {
        var (events, report) = ReadText(Header +
            "2019-10-01 00:00:00 UTC,view,1,2,,,1.00,7,s\n" + // line 2: good
            "2019-10-01 00:00:00,view,1,2,,,1.00,7,s\n" + // 3: timestamp without UTC
            "2019-10-01 00:00:00 UTC,view,-1,2,,,1.00,7,s\n" + // 4: negative product id
            "2019-10-01 00:00:00 UTC,view,1,x2,,,1.00,7,s\n" + // 5: category id
            "2019-10-01 00:00:00 UTC,view,1,2,,,-3.50,7,s\n" + // 6: negative price
            "2019-10-01 00:00:00 UTC,view,1,2,,,abc,7,s\n" + // 7: bad price
            "2019-10-01 00:00:00 UTC,view,1,2,,,NaN,7,s\n" + // 8: NaN price
            "2019-10-01 00:00:00 UTC,view,1,2,,,1.00,,s\n" + // 9: no user
            "2019-10-01 00:00:00 UTC,view,1,2,,,1.00,7\n" + // 10: 8 columns (terminated)
            "2019-10-01 00:00:00 UTC,view,1,2,,,1.00,7,s,extra\n" + // 11: 10 columns
            "2019-10-01 00:00:00 UTC,view,1,2,\"a\"b,,1.00,7,s\n" + // 12: malformed quotes
            "2019-10-01 00:00:01 UTC,view,1,2,,,0.00,7,s\n"); // 13: good, zero price

        Assert.Equal(2, events.Count);
        Assert.Equal(12, report.RowsRead);
        Assert.Equal(2, report.RowsAccepted);
        Assert.Equal(10, report.RowsRejected);
        Assert.Equal([3L], report.Files[0].FirstLines(RejectReason.BadTimestamp));
        Assert.Equal([4L], report.Files[0].FirstLines(RejectReason.BadProductId));
        Assert.Equal([5L], report.Files[0].FirstLines(RejectReason.BadCategoryId));
        Assert.Equal([6L], report.Files[0].FirstLines(RejectReason.NegativePrice));
        Assert.Equal([7L, 8L], report.Files[0].FirstLines(RejectReason.BadPrice));
        Assert.Equal([9L], report.Files[0].FirstLines(RejectReason.MissingUser));
        Assert.Equal([10L, 11L], report.Files[0].FirstLines(RejectReason.WrongColumnCount));
        Assert.Equal([12L], report.Files[0].FirstLines(RejectReason.MalformedQuotes));
        Assert.Equal(0f, events[1].Price);
    }

    [Theory]
    [InlineData("2019-13-01 00:00:00 UTC")]
    [InlineData("2019-02-29 00:00:00 UTC")]
    [InlineData("2019-10-01 24:00:00 UTC")]
    [InlineData("2019-10-01 00:60:00 UTC")]
    [InlineData("2019-10-01T00:00:00 UTC")]
    [InlineData("2019-10-01 00:00:00 GMT")]
    [InlineData("2019-1-01 00:00:00 UTC ")]
    [InlineData("")]
    public void InvalidTimestampsAreRejected(string timestamp)
    {
        var (events, report) = ReadText(Header + $"{timestamp},view,1,2,,,1.00,7,s\n");
        Assert.Empty(events);
        Assert.Equal(1, report.RejectedFor(RejectReason.BadTimestamp));
    }

    [Fact]
    public void LeapDayTimestampIsAccepted()
    {
        var (events, _) = ReadText(Header + "2020-02-29 23:59:59 UTC,view,1,2,,,1.00,7,s\n");
        Assert.Equal(new DateTime(2020, 2, 29, 23, 59, 59, DateTimeKind.Utc), Assert.Single(events).Timestamp);
    }

    [Fact]
    public void QuotedFieldsMayHoldCommasAndQuotes()
    {
        var (events, report) = ReadText(Header +
            "\"2019-10-01 00:00:00 UTC\",view,1,2,\"home, garden\",\"the \"\"best\"\" co\",\"1.50\",7,s\n");

        var e = Assert.Single(events);
        Assert.Equal("home, garden", e.CategoryCode);
        Assert.Equal("the \"best\" co", e.Brand);
        Assert.Equal(1.5f, e.Price);
        Assert.Equal(0, report.RowsRejected);
    }

    [Fact]
    public void ByteOrderMarkAndCrLfLineEndingsAreAccepted()
    {
        var (events, report) = ReadText("\uFEFF" + Rees46CsvReader.ExpectedHeader + "\r\n2019-10-01 00:00:00 UTC,view,1,2,,,1.00,7,s\r\n");
        Assert.Equal("s", Assert.Single(events).SourceSession);
        Assert.Equal(0, report.RowsRejected);
    }

    [Fact]
    public void FinalLineCutMidRowIsRejectedAsTruncatedButACompleteUnterminatedLineIsAccepted()
    {
        var (events, report) = ReadText(Header + "2019-10-01 00:00:00 UTC,view,1,2,,,1.00,7,s\n2019-10-01 00:00:01 UTC,view,1,2,,,1.00,7");
        Assert.Single(events);
        Assert.Equal([3L], report.Files[0].FirstLines(RejectReason.TruncatedFinalLine));

        var (complete, completeReport) = ReadText(Header + "2019-10-01 00:00:00 UTC,view,1,2,,,1.00,7,s");
        Assert.Single(complete);
        Assert.Equal(0, completeReport.RowsRejected);
    }

    [Fact]
    public void GzipIsDetectedByMagicBytesNotByExtension()
    {
        string text = Header + "2019-10-01 00:00:00 UTC,purchase,5,6,,,9.99,42,s\n";
        string dir = Directory.CreateTempSubdirectory("mm-rees46-").FullName;
        try
        {
            string gzNamedCsv = Path.Combine(dir, "log.csv");
            string plainNamedGz = Path.Combine(dir, "log.csv.gz");
            File.WriteAllBytes(gzNamedCsv, TestStreams.Gzip(text).ToArray());
            File.WriteAllText(plainNamedGz, text);

            var report = new IngestReport();
            var a = Rees46CsvReader.Read(gzNamedCsv, report).ToList();
            var b = Rees46CsvReader.Read(plainNamedGz, report).ToList();

            Assert.Equal(EventType.Purchase, Assert.Single(a).Type);
            Assert.Equal(a, b);
            Assert.Equal(2, report.Files.Count);
            Assert.Equal(gzNamedCsv, report.Files[0].FileName);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void DifferentHeaderThrowsNamingExpectedAndActualColumns()
    {
        var report = new IngestReport();
        var events = Rees46CsvReader.Read(TestStreams.Utf8("time,type,product\n1,2,3\n"), "odd.csv", report);

        var error = Assert.Throws<InvalidDataException>(() => events.ToList());
        Assert.Contains("odd.csv", error.Message);
        Assert.Contains(Rees46CsvReader.ExpectedHeader, error.Message);
        Assert.Contains("time,type,product", error.Message);
    }

    [Fact]
    public void MissingHeaderThrowsEvenWhenTheFirstLineIsAValidRow()
    {
        var events = Rees46CsvReader.Read(TestStreams.Utf8("2019-10-01 00:00:00 UTC,view,1,2,,,1.00,7,s\n"), "nohdr.csv", new IngestReport());
        var error = Assert.Throws<InvalidDataException>(() => events.ToList());
        Assert.Contains("unexpected header", error.Message);
    }

    [Fact]
    public void EmptyInputThrowsSayingAHeaderWasExpected()
    {
        var events = Rees46CsvReader.Read(new MemoryStream(), "empty.csv", new IngestReport());
        var error = Assert.Throws<InvalidDataException>(() => events.ToList());
        Assert.Contains("empty", error.Message);
        Assert.Contains("event_time", error.Message);
    }

    [Fact]
    public void MissingFileThrowsWhenCalledNotWhenEnumerated()
    {
        var error = Assert.Throws<FileNotFoundException>(() => Rees46CsvReader.Read("/nonexistent/dir/none.csv", new IngestReport()));
        Assert.Contains("none.csv", error.Message);
    }

    [Fact]
    public void RepeatingStringsShareOneInstance()
    {
        var (events, _) = ReadText(Header +
            "2019-10-01 00:00:00 UTC,view,1,2,a.b,acme,1.00,77,s1\n" +
            "2019-10-01 00:00:01 UTC,view,1,2,a.b,acme,1.00,77,s1\n");

        Assert.Same(events[0].UserId, events[1].UserId);
        Assert.Same(events[0].SourceSession, events[1].SourceSession);
        Assert.Same(events[0].Brand, events[1].Brand);
        Assert.Same(events[0].CategoryCode, events[1].CategoryCode);
    }

    [Fact]
    public void StreamIsLeftOpenAfterReading()
    {
        var stream = TestStreams.Utf8(Header);
        _ = Rees46CsvReader.Read(stream, "s.csv", new IngestReport()).ToList();
        Assert.True(stream.CanRead);
    }

    [Fact]
    public void CorruptGzipDataEndsTheRowsAndIsReportedAsDamageNamingTheInput()
    {
        string rows = string.Concat(Enumerable.Range(0, 5000).Select(i => $"2019-10-01 00:00:00 UTC,view,{i},2,,,1.00,{i % 97},s{i % 13}\n"));
        byte[] gz = TestStreams.Gzip(Header + rows).ToArray();
        for (int i = gz.Length / 2; i < gz.Length / 2 + 60; i++)
        {
            gz[i] ^= 0x5A;
        }

        var report = new IngestReport();
        var events = Rees46CsvReader.Read(new MemoryStream(gz), "broken.csv.gz", report).ToList();
        Assert.InRange(events.Count, 1, 4999);
        Assert.Equal(GzipDamage.Corrupt, report.Files[0].Damage);
        var error = Assert.Throws<IncompleteInputException>(() => report.ThrowIfIncomplete());
        Assert.Contains("broken.csv.gz: gzip-corrupt", error.Message);
        Assert.Contains($"{report.Files[0].RowsRead:N0} rows were read before it", error.Message);
    }

    [Fact]
    public void GzipCorruptBeforeTheFirstLineIsAnErrorThatSaysSo()
    {
        byte[] gz = TestStreams.Gzip(Header + "2019-10-01 00:00:00 UTC,view,1,2,,,1.00,7,s\n").ToArray();
        for (int i = 12; i < 20; i++)
        {
            gz[i] ^= 0x5A;
        }

        var error = Assert.Throws<InvalidDataException>(() => Rees46CsvReader.Read(new MemoryStream(gz), "broken.csv.gz", new IngestReport()).ToList());
        Assert.Contains("'broken.csv.gz'", error.Message);
        Assert.Contains("gzip-corrupt", error.Message);
    }
}
