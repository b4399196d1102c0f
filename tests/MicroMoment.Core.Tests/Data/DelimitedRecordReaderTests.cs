using MicroMoment.Data;

namespace MicroMoment.Tests.Data;

public class DelimitedRecordReaderTests
{
    private static DelimitedRecordReader Over(string text, char delimiter = ',', int maxRecordChars = DelimitedRecordReader.DefaultMaxRecordChars) =>
        new(new StringReader(text), delimiter, maxRecordChars);

    private static string[] Fields(DelimitedRecordReader reader) =>
        Enumerable.Range(0, reader.FieldCount).Select(i => reader.Field(i).ToString()).ToArray();

    [Fact]
    public void PlainFieldsAreSplitOnTheDelimiterIncludingEmptyOnes()
    {
        using var reader = Over("a,,c,\nx\n");
        Assert.Equal(RecordStatus.Record, reader.Read());
        Assert.Equal(["a", "", "c", ""], Fields(reader));
        Assert.Equal(RecordStatus.Record, reader.Read());
        Assert.Equal(["x"], Fields(reader));
        Assert.Equal(RecordStatus.EndOfData, reader.Read());
    }

    [Fact]
    public void QuotedFieldsKeepDelimitersDoubledQuotesAndLineBreaks()
    {
        using var reader = Over("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"\"\nnext,row\n");
        Assert.Equal(RecordStatus.Record, reader.Read());
        Assert.Equal(["a,b", "say \"hi\"", "two\nlines", ""], Fields(reader));
        Assert.Equal(1, reader.LineNumber);
        Assert.Equal(RecordStatus.Record, reader.Read());
        Assert.Equal(["next", "row"], Fields(reader));
        Assert.Equal(3, reader.LineNumber);
    }

    [Fact]
    public void CrLfEndingsAreStrippedAndEmptyLinesAreSkippedButCounted()
    {
        using var reader = Over("a,b\r\n\r\n\nc,d\r\n");
        Assert.Equal(RecordStatus.Record, reader.Read());
        Assert.Equal(["a", "b"], Fields(reader));
        Assert.Equal(RecordStatus.Record, reader.Read());
        Assert.Equal(["c", "d"], Fields(reader));
        Assert.Equal(4, reader.LineNumber);
        Assert.True(reader.IsTerminated);
        Assert.Equal(RecordStatus.EndOfData, reader.Read());
    }

    [Fact]
    public void FinalLineWithoutLineBreakIsReadAndMarkedUnterminated()
    {
        using var reader = Over("a,b\nc,d");
        reader.Read();
        Assert.True(reader.IsTerminated);
        Assert.Equal(RecordStatus.Record, reader.Read());
        Assert.False(reader.IsTerminated);
        Assert.Equal(["c", "d"], Fields(reader));
    }

    [Theory]
    [InlineData("\"abc\nnext,row\n")]
    [InlineData("\"abc\"x,1\n")]
    [InlineData("ab\"c\",1\n")]
    public void MalformedQuotingIsReportedNotThrown(string text)
    {
        using var reader = Over(text);
        Assert.Equal(RecordStatus.MalformedQuotes, reader.Read());
        Assert.Equal(1, reader.LineNumber);
    }

    [Fact]
    public void RecordLongerThanTheLimitIsSkippedToTheNextLineBreak()
    {
        string huge = new('x', 5000);
        using var reader = Over($"a,b\n{huge},{huge}\nc,d\n", maxRecordChars: 1000);
        Assert.Equal(RecordStatus.Record, reader.Read());
        Assert.Equal(RecordStatus.TooLong, reader.Read());
        Assert.Equal(2, reader.LineNumber);
        Assert.Equal(RecordStatus.Record, reader.Read());
        Assert.Equal(["c", "d"], Fields(reader));
        Assert.Equal(3, reader.LineNumber);
    }

    [Fact]
    public void RecordsSpanningManyBufferRefillsAreReassembled()
    {
        string longField = new('y', 200_000);
        using var reader = Over($"{longField},\"{longField}\"\nz\n");
        Assert.Equal(RecordStatus.Record, reader.Read());
        Assert.Equal(longField, reader.Field(0).ToString());
        Assert.Equal(longField, reader.Field(1).ToString());
        Assert.Equal(RecordStatus.Record, reader.Read());
        Assert.Equal("z", reader.Field(0).ToString());
    }

    [Fact]
    public void PeekLineDoesNotConsumeTheFirstRecord()
    {
        using var reader = Over("h1\th2\r\nv1\tv2\n", '\t');
        Assert.Equal("h1\th2", reader.PeekLine(100).ToString());
        Assert.Equal(RecordStatus.Record, reader.Read());
        Assert.Equal(["h1", "h2"], Fields(reader));
    }
}
