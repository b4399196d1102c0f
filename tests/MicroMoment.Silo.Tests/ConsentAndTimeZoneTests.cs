using MicroMoment.Events;
using MicroMoment.Silo.Grains;
using MicroMoment.Silo.Storage;
using Microsoft.Extensions.Time.Testing;
using static MicroMoment.Silo.Tests.SiloTestData;

namespace MicroMoment.Silo.Tests;

public class ConsentAndTimeZoneTests
{
    private const string Tokyo = "Asia/Tokyo";

    // Start is 10:00 UTC, 19:00 in Tokyo: Tokyo's next day begins at 15:00 UTC (minute 300), UTC's at minute 840.
    private static string Policy(string rule) => $$"""
        version: c1
        maxOffersPerSession: 100
        timeZone: UTC
        rules:
          - name: always
            intent: buy
            offer: recommendation
            thresholds: { default: 0.000001 }
            {{rule}}
        """;

    private static async Task<(EmbeddedSilo Silo, TempDirectory Dir)> StartAsync(string rule, TempDirectory? dir = null, FakeTimeProvider? clock = null)
    {
        dir ??= new TempDirectory();
        string path = Path.Combine(dir.Path, "policy.yaml");
        if (!File.Exists(path)) File.WriteAllText(path, Policy(rule));
        var options = new SiloOptions { PolicyPath = path, DataDirectory = Path.Combine(dir.Path, "state") };
        return (await EmbeddedSilo.StartAsync(BundledModel, options, clock ?? new FakeTimeProvider(SiloNoon)), dir);
    }

    private static ClickEvent Zoned(string user, double minutes, string? zone, string? id = null) =>
        Event(user, minutes, id: id) with { Context = new EventContext(null, null, null, null, zone) };

    private static async Task<string?> DecideAsync(EmbeddedSilo silo, ClickEvent e)
    {
        var outcome = (await silo.IngestAsync([e]))[0];
        Assert.Equal(IngestStatus.Accepted, outcome.Status);
        return outcome.Decision!.Fired ? null : outcome.Decision.SuppressedBecause;
    }

    [Fact]
    public async Task ARuleNeedingMarketingIsSuppressedUntilTheShopperGrantsMarketing()
    {
        var (silo, dir) = await StartAsync("consent: marketing");
        await using var _ = silo;
        using var __ = dir;

        Assert.Equal("no-consent", await DecideAsync(silo, Event("ida", 0)));
        await silo.SetConsentAsync(ClickEvent.DefaultTenant, "ida", new Consent(true, ["offers"]));
        Assert.Equal("no-consent", await DecideAsync(silo, Event("ida", 1)));
        await silo.SetConsentAsync(ClickEvent.DefaultTenant, "ida", new Consent(true, ["offers", "marketing"]));
        Assert.Null(await DecideAsync(silo, Event("ida", 2)));
        await silo.SetConsentAsync(ClickEvent.DefaultTenant, "ida", new Consent(true, false)); // the two-flag form: no category at all
        Assert.Equal("no-consent", await DecideAsync(silo, Event("ida", 3)));
        Assert.Equal(3, silo.GetStatistics().SuppressionsByReason["no-consent"]);
    }

    [Fact]
    public async Task DailyCapResetsAtTheShoppersLocalMidnightNotAtUtcMidnight()
    {
        var (silo, dir) = await StartAsync("caps: { perDay: 1 }");
        await using var _ = silo;
        using var __ = dir;

        Assert.Null(await DecideAsync(silo, Zoned("kenji", 0, Tokyo)));
        Assert.Null(await DecideAsync(silo, Zoned("utc", 0, null)));
        Assert.Equal("daily-cap", await DecideAsync(silo, Zoned("kenji", 299, Tokyo)));
        Assert.Equal("daily-cap", await DecideAsync(silo, Zoned("utc", 299, null)));

        Assert.Null(await DecideAsync(silo, Zoned("kenji", 300, null))); // the zone is remembered when an event omits it
        Assert.Equal("daily-cap", await DecideAsync(silo, Zoned("utc", 300, null)));
        Assert.Equal("daily-cap", await DecideAsync(silo, Zoned("utc", 839, null)));
        Assert.Null(await DecideAsync(silo, Zoned("utc", 840, null)));
        Assert.Equal(Tokyo, (await silo.GetUserAsync(ClickEvent.DefaultTenant, "kenji"))!.TimeZone);
        Assert.Null((await silo.GetUserAsync(ClickEvent.DefaultTenant, "utc"))!.TimeZone);
    }

    [Fact]
    public async Task AnUnknownTimeZoneIsAcceptedIgnoredAndCountedAndTheDailyCapFallsBackToThePolicyZone()
    {
        var (silo, dir) = await StartAsync("caps: { perDay: 1 }");
        await using var _ = silo;
        using var __ = dir;

        Assert.Null(await DecideAsync(silo, Zoned("mia", 0, "Mars/Olympus_Mons")));
        Assert.Equal("daily-cap", await DecideAsync(silo, Zoned("mia", 300, "Mars/Olympus_Mons"))); // a new Tokyo day, but still the same UTC day
        Assert.Equal("daily-cap", await DecideAsync(silo, Zoned("mia", 301, "../../etc/passwd")));
        Assert.Null((await silo.GetUserAsync(ClickEvent.DefaultTenant, "mia"))!.TimeZone);
        Assert.Equal(3, silo.GetStatistics().UnknownTimeZones);

        // A known zone stays when an unknown one follows it.
        Assert.Null(await DecideAsync(silo, Zoned("noa", 0, Tokyo)));
        Assert.Equal("daily-cap", await DecideAsync(silo, Zoned("noa", 1, "Nowhere/City")));
        Assert.Equal(Tokyo, (await silo.GetUserAsync(ClickEvent.DefaultTenant, "noa"))!.TimeZone);
        Assert.Equal(4, silo.GetStatistics().UnknownTimeZones);
    }

    [Fact]
    public async Task GrantedCategoriesAndTheShoppersTimeZoneSurviveARestart()
    {
        using var dir = new TempDirectory();
        var (silo, _) = await StartAsync("consent: marketing\n    caps: { perDay: 1 }", dir);
        await using (silo)
        {
            await silo.SetConsentAsync(ClickEvent.DefaultTenant, "ren", new Consent(true, ["marketing", "offers", "analytics"]));
            Assert.Null(await DecideAsync(silo, Zoned("ren", 0, Tokyo)));
        }

        var (restarted, _) = await StartAsync("(unused: the file exists)", dir);
        await using (restarted)
        {
            var view = (await restarted.GetUserAsync(ClickEvent.DefaultTenant, "ren"))!;
            Assert.Equal(["analytics", "marketing", "offers"], view.Consent.Categories);
            Assert.True(view.Consent.Tracking);
            Assert.Equal(Tokyo, view.TimeZone);
            // Still capped today in Tokyo; a new Tokyo day at 15:00 UTC although UTC's day has not turned.
            Assert.Equal("daily-cap", await DecideAsync(restarted, Zoned("ren", 299, null)));
            Assert.Null(await DecideAsync(restarted, Zoned("ren", 300, null)));
        }
    }

    [Fact]
    public void InvalidCategoryNamesAreRefusedWithWhatWasExpected()
    {
        var bad = Assert.Throws<ArgumentException>(() => new Consent(true, ["offers", "Marketing"]));
        Assert.Contains("'Marketing'", bad.Message);
        Assert.Contains("expected a lower-case name", bad.Message);
        Assert.Throws<ArgumentException>(() => new Consent(true, ["none"]));
        Assert.Throws<ArgumentException>(() => new Consent(true, [new string('a', 33)]));
        Assert.Throws<ArgumentException>(() => new Consent(true, Enumerable.Range(0, 17).Select(i => $"c{i}")));
        Assert.Equal(new Consent(true, ["b", "a", "a"]), new Consent(true, ["a", "b"]));
    }

    [Fact]
    public void ObservingAnUnchangedOrRepeatedUnknownTimeZoneAllocatesNothing()
    {
        var zone = new ShopperTimeZone();
        Assert.True(zone.Observe(Tokyo));
        string sameText = new(Tokyo.AsSpan()); // equal text, another instance: what a parser hands over per event
        Assert.False(zone.Observe("Nowhere/City"));
        string unknown = new("Nowhere/City".AsSpan());
        for (int i = 0; i < 100; i++)
        {
            zone.Observe(sameText);
            zone.Observe(unknown);
            zone.Observe(null);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            zone.Observe(sameText);
            zone.Observe(unknown);
            zone.Observe(null);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(Tokyo, zone.Id);
        Assert.Equal(TimeZoneInfo.FindSystemTimeZoneById(Tokyo).BaseUtcOffset, zone.Zone!.BaseUtcOffset);
    }
}
