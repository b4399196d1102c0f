using MicroMoment.Data;
using MicroMoment.Events;
using MicroMoment.Sessions;

namespace MicroMoment.Tests.Data;

public class SyntheticTrafficTests
{
    private static readonly SyntheticTrafficOptions Small = new() { Seed = 11, Users = 400 };

    [Fact]
    public void SameOptionsGiveIdenticalTrafficAndAnotherSeedGivesDifferentTraffic()
    {
        var a = SyntheticTraffic.Generate(Small).ToList();
        var b = SyntheticTraffic.Generate(Small).ToList();
        var c = SyntheticTraffic.Generate(Small with { Seed = 12 }).ToList();

        Assert.NotEmpty(a);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void EventsAreInTimeOrderAreLabelledSyntheticAndUseWholeSeconds()
    {
        var events = SyntheticTraffic.Generate(Small).ToList();

        for (int i = 1; i < events.Count; i++)
        {
            Assert.True(events[i - 1].Timestamp <= events[i].Timestamp, $"event {i} goes back in time");
        }

        Assert.All(events, e =>
        {
            Assert.Equal(SyntheticTraffic.Tenant, e.Tenant);
            Assert.StartsWith(SyntheticTraffic.UserPrefix, e.UserId);
            Assert.Equal(DateTimeKind.Utc, e.Timestamp.Kind);
            Assert.Equal(0, e.Timestamp.Ticks % TimeSpan.TicksPerSecond);
            Assert.True(e.HasPrice);
            Assert.True(e.Brand is null || e.Brand.StartsWith("synbrand-", StringComparison.Ordinal));
            Assert.True(SyntheticTraffic.TryGetPersona(e.UserId, out _));
        });
        Assert.True(events[0].Timestamp >= Small.Start);
    }

    [Fact]
    public void AllPersonasAllEventTypesAndContextFieldsAppear()
    {
        var events = SyntheticTraffic.Generate(Small).ToList();

        Assert.Equal(Enum.GetValues<ShopperPersona>(), events
            .Select(e => SyntheticTraffic.TryGetPersona(e.UserId, out var p) ? p : throw new InvalidOperationException())
            .Distinct().Order());
        Assert.Equal([EventType.View, EventType.Cart, EventType.RemoveFromCart, EventType.Purchase], events.Select(e => e.Type).Distinct().Order());
        Assert.All(events, e => Assert.False(e.Context.IsEmpty));
        Assert.Equal(["desktop", "mobile", "tablet"], events.Select(e => e.Context.Device).Distinct().Order());
        Assert.Contains(events, e => e.Context.Page == "checkout" && e.Type == EventType.Purchase);

        var bare = SyntheticTraffic.Generate(Small with { IncludeContext = false }).ToList();
        Assert.All(bare, e => Assert.True(e.Context.IsEmpty));
        Assert.Equal(events.Select(e => e with { Context = default }), bare);
    }

    [Fact]
    public void SessionsAreSeparatedByMoreThanThirtyMinutesAndAboutFourPercentPurchase()
    {
        foreach (long seed in new long[] { 1, 2, 3 })
        {
            var events = SyntheticTraffic.Generate(new SyntheticTrafficOptions { Seed = seed, Users = 2_000 }).ToList();
            var sessions = Sessionizer.Sessionize(events, SessionizerOptions.Default);

            // The generator's own session ids agree with the shared 30-minute rule.
            Assert.Equal(events.Select(e => e.SourceSession).Distinct().Count(), sessions.Count);
            Assert.All(sessions, s => Assert.Single(s.Events.Select(e => e.SourceSession).Distinct()));

            double share = sessions.Count(s => s.HasPurchase) / (double)sessions.Count;
            Assert.InRange(share, 0.03, 0.055);
            Assert.True(sessions.GroupBy(s => s.UserId).Average(g => g.Count()) > 1.8, "users should come back for several sessions");
        }
    }

    [Fact]
    public void PersonasDifferInPurchaseRateAndSessionLength()
    {
        var sessions = Sessionizer.Sessionize(SyntheticTraffic.Generate(Small with { Users = 3_000 }), SessionizerOptions.Default);
        var byPersona = sessions
            .GroupBy(s => SyntheticTraffic.TryGetPersona(s.UserId, out var p) ? p : throw new InvalidOperationException())
            .ToDictionary(g => g.Key, g => (Buy: g.Count(s => s.HasPurchase) / (double)g.Count(), Length: g.Average(s => s.Events.Length)));

        Assert.True(byPersona[ShopperPersona.PassiveBrowser].Buy < 0.01);
        Assert.True(byPersona[ShopperPersona.PurchaseIntent].Buy > 2 * byPersona[ShopperPersona.ComparisonSeeker].Buy);
        Assert.True(byPersona[ShopperPersona.ComparisonSeeker].Length > 2 * byPersona[ShopperPersona.PassiveBrowser].Length);
        Assert.True(byPersona[ShopperPersona.ImpulsiveBuyer].Length < byPersona[ShopperPersona.ComparisonSeeker].Length);
    }

    [Fact]
    public void ComingBackToACartedProductMakesAPurchaseMoreLikelyThanBrowsingOnWithACart()
    {
        var sessions = Sessionizer.Sessionize(SyntheticTraffic.Generate(Small with { Users = 4_000 }), SessionizerOptions.Default);
        int afterRevisit = 0, buyAfterRevisit = 0, afterOther = 0, buyAfterOther = 0;
        foreach (var s in sessions)
        {
            var cart = new HashSet<long>();
            for (int i = 0; i + 1 < s.Events.Length; i++)
            {
                var e = s.Events[i];
                if (e.Type == EventType.Cart)
                {
                    cart.Add(e.ProductId);
                }
                else if (e.Type == EventType.RemoveFromCart || e.Type == EventType.Purchase)
                {
                    cart.Remove(e.ProductId);
                }
                else if (e.Type == EventType.View && cart.Count > 0)
                {
                    bool buys = s.Events[i + 1].Type == EventType.Purchase;
                    if (cart.Contains(e.ProductId))
                    {
                        afterRevisit++;
                        buyAfterRevisit += buys ? 1 : 0;
                    }
                    else
                    {
                        afterOther++;
                        buyAfterOther += buys ? 1 : 0;
                    }
                }
            }
        }

        double revisitRate = buyAfterRevisit / (double)afterRevisit;
        double otherRate = buyAfterOther / (double)afterOther;
        Assert.True(afterRevisit > 100 && afterOther > 100, $"too few cases: {afterRevisit}, {afterOther}");
        Assert.True(revisitRate > 3 * otherRate, $"purchase after revisiting a carted product {revisitRate:P1} vs after other views {otherRate:P1}");
    }

    [Fact]
    public void PricesBelongToCategoriesAndProductsKeepTheirPrice()
    {
        var events = SyntheticTraffic.Generate(Small).ToList();
        Assert.All(events.GroupBy(e => e.ProductId), g =>
        {
            Assert.Single(g.Select(e => e.Price).Distinct());
            Assert.Single(g.Select(e => e.CategoryId).Distinct());
        });

        var medians = events.GroupBy(e => e.CategoryId)
            .Select(g => g.Select(e => e.Price).Order().ElementAt(g.Count() / 2)).ToList();
        Assert.True(medians.Max() > 5 * medians.Min(), "categories should have different price levels");
    }

    [Fact]
    public void Rees46CsvRoundTripsThroughTheReader()
    {
        var options = Small with { Users = 300 };
        var writer = new StringWriter();
        long rows = SyntheticTraffic.WriteRees46Csv(writer, options);

        var report = new IngestReport();
        var read = Rees46CsvReader.Read(TestStreams.Utf8(writer.ToString()), "synthetic.csv", report, SyntheticTraffic.Tenant).ToList();
        var expected = SyntheticTraffic.Generate(options).Select(e => e with { Context = default }).ToList();

        Assert.Equal(expected.Count, rows);
        Assert.Equal(0, report.RowsRejected);
        Assert.Equal(expected, read);
        Assert.Contains(read, e => e.CategoryCode is null);
    }

    [Theory]
    [InlineData(0, 7, 3.0, "Users")]
    [InlineData(10, 0, 3.0, "Duration")]
    [InlineData(10, 7, 0.5, "MeanSessionsPerUser")]
    public void InvalidOptionsAreRejectedNamingTheSetting(int users, int days, double sessions, string setting)
    {
        var options = new SyntheticTrafficOptions { Users = users, Duration = TimeSpan.FromDays(days), MeanSessionsPerUser = sessions };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticTraffic.Generate(options));
        Assert.Equal(setting, error.ParamName);
    }

    [Fact]
    public void AllPersonaSharesZeroIsRejected()
    {
        var options = new SyntheticTrafficOptions { PassiveBrowserShare = 0, ComparisonSeekerShare = 0, PurchaseIntentShare = 0, ImpulsiveBuyerShare = 0 };
        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }

    [Fact]
    public void OnlyOnePersonaCanBeGenerated()
    {
        var options = Small with { PassiveBrowserShare = 0, ComparisonSeekerShare = 0, PurchaseIntentShare = 1, ImpulsiveBuyerShare = 0 };
        Assert.All(SyntheticTraffic.Generate(options), e =>
        {
            Assert.True(SyntheticTraffic.TryGetPersona(e.UserId, out var persona));
            Assert.Equal(ShopperPersona.PurchaseIntent, persona);
        });
    }
}
