using MicroMoment.Data;

namespace MicroMoment.Tests.Data;

public class EventReadOptionsTests
{
    private const string Log = Rees46CsvReader.ExpectedHeader + "\n" +
        "2019-10-01 00:00:01 UTC,view,17200506,2053013559792632471,furniture.living_room.sofa,ikea,543.10,519107250,566511c2-e2e3\n" +
        "2019-10-01 00:00:05 UTC,cart,17200506,2053013559792632471,furniture.living_room.sofa,ikea,543.10,519107250,566511c2-e2e3\n";

    [Fact]
    public void LeanReadingDropsTheSourceSessionAndKeepsEverythingElse()
    {
        var full = EventLogReader.Read(TestStreams.Utf8(Log), "a.csv", new IngestReport()).ToList();
        var lean = EventLogReader.Read(TestStreams.Utf8(Log), "a.csv", new IngestReport(), options: EventReadOptions.Lean).ToList();

        Assert.All(full, e => Assert.Equal("566511c2-e2e3", e.SourceSession));
        Assert.All(lean, e => Assert.Null(e.SourceSession));
        Assert.Equal(full.Select(e => e with { SourceSession = null }), lean);
    }

    [Fact]
    public void DefaultReadingKeepsTheSourceSession()
    {
        var events = Rees46CsvReader.Read(TestStreams.Utf8(Log), "a.csv", new IngestReport(), options: EventReadOptions.Default).ToList();
        Assert.All(events, e => Assert.Equal("566511c2-e2e3", e.SourceSession));
    }
}
