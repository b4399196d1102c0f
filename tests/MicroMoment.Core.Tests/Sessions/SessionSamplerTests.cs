using MicroMoment.Events;
using MicroMoment.Sessions;
using static MicroMoment.Tests.Sessions.SessionTestEvents;

namespace MicroMoment.Tests.Sessions;

public class SessionSamplerTests
{
    /// <summary>About 3,000 sessions of 400 users (two tenants) over four days, some with purchases, in random order.</summary>
    private static List<ClickEvent> Traffic(int seed = 11)
    {
        var random = new Random(seed);
        var events = new List<ClickEvent>();
        for (int s = 0; s < 3_000; s++)
        {
            string user = $"u{random.Next(400)}";
            string tenant = random.Next(2) == 0 ? "shop-a" : "shop-b";
            var start = TimeSpan.FromMinutes(random.Next(0, 4 * 24 * 60));
            int length = 1 + random.Next(8);
            for (int k = 0; k < length; k++)
            {
                var type = k == length - 1 && random.Next(10) == 0 ? EventType.Purchase : EventType.View;
                events.Add(At(user, start + TimeSpan.FromSeconds(40 * k), type, product: events.Count, tenant: tenant));
            }
        }

        return [.. events.OrderBy(_ => random.Next())];
    }

    private static string Identity(Session s) => $"{s.Tenant}/{s.UserId}@{s.Start.Ticks}";

    [Fact]
    public void BoundIsRespectedExactlyWhenTheLogHasMoreSessions()
    {
        var all = Sessionizer.Sessionize(Traffic(), SessionizerOptions.Default);
        Assert.True(all.Count > 1_000);

        var sample = SessionSampler.Sample(all, 500);

        Assert.Equal(500, sample.Sessions.Count);
        Assert.True(sample.IsSampled);
        Assert.Equal(all.Count, sample.Population.Sessions);
        Assert.Equal(all.Sum(s => (long)s.Events.Length), sample.Population.Events);
    }

    [Fact]
    public void EverySessionIsKeptWhenTheBoundIsNotReachedOrAbsent()
    {
        var all = Sessionizer.Sessionize(Traffic(), SessionizerOptions.Default);

        Assert.Same(all, SessionSampler.Sample(all, all.Count).Sessions);
        Assert.Same(all, SessionSampler.Sample(all, null).Sessions);
        Assert.False(SessionSampler.Sample(all, all.Count + 1).IsSampled);
    }

    [Fact]
    public void SameLogGivesTheSameSampleWhateverTheInputOrder()
    {
        var events = Traffic();
        var reversed = Enumerable.Reverse(events).ToList();

        var a = SessionSampler.Sample(Sessionizer.Sessionize(events, SessionizerOptions.Default), 400);
        var b = SessionSampler.Sample(Sessionizer.Sessionize(reversed, SessionizerOptions.Default), 400);

        Assert.Equal(a.Sessions.Select(Identity), b.Sessions.Select(Identity));
        Assert.Equal(a.Sessions.Select(s => s.Id), b.Sessions.Select(s => s.Id));
    }

    [Fact]
    public void SampledSessionsAreWholeAndKeepTheirIdsAndStartOrder()
    {
        var all = Sessionizer.Sessionize(Traffic(), SessionizerOptions.Default);
        var sample = SessionSampler.Sample(all, 300);

        foreach (var s in sample.Sessions)
        {
            Assert.Same(all[(int)s.Id], s);
        }

        for (int i = 1; i < sample.Sessions.Count; i++)
        {
            Assert.True(sample.Sessions[i - 1].Id < sample.Sessions[i].Id);
            Assert.True(sample.Sessions[i - 1].Start <= sample.Sessions[i].Start);
        }
    }

    [Fact]
    public void SessionizingWithABoundKeepsExactlyTheSessionsSamplingTheFullResultKeeps()
    {
        var events = Traffic();
        var full = SessionSampler.Sample(Sessionizer.Sessionize(events, SessionizerOptions.Default), 250);

        var direct = Sessionizer.SessionizeSample(events, SessionizerOptions.Default, 250);

        Assert.Equal(250, direct.Sessions.Count);
        Assert.Equal(full.Population, direct.Population);
        Assert.Equal(full.Sessions.Count, direct.Sessions.Count);
        for (int i = 0; i < full.Sessions.Count; i++)
        {
            var expected = full.Sessions[i];
            var actual = direct.Sessions[i];
            Assert.Equal(expected.Id, actual.Id);
            Assert.Equal(Identity(expected), Identity(actual));
            Assert.Equal(expected.Censored, actual.Censored);
            Assert.Equal(expected.Events, actual.Events);
        }
    }

    [Fact]
    public void ASmallerBoundKeepsASubsetOfALargerBound()
    {
        var all = Sessionizer.Sessionize(Traffic(), SessionizerOptions.Default);
        var large = SessionSampler.Sample(all, 900).Sessions.Select(s => s.Id).ToHashSet();
        var small = SessionSampler.Sample(all, 200).Sessions.Select(s => s.Id).ToList();

        Assert.All(small, id => Assert.Contains(id, large));
    }

    [Fact]
    public void NarrowingASampleEqualsSamplingTheWholeLogWithTheSmallerBound()
    {
        var all = Sessionizer.Sessionize(Traffic(), SessionizerOptions.Default);
        var narrowed = SessionSampler.Narrow(SessionSampler.Sample(all, 900), 200);
        var direct = SessionSampler.Sample(all, 200);

        Assert.Equal(direct.Sessions.Select(s => s.Id), narrowed.Sessions.Select(s => s.Id));
        Assert.Equal(all.Count, narrowed.Population.Sessions);
        Assert.Equal(200, narrowed.MaxSessions);
    }

    [Fact]
    public void SampleSpreadsOverTheWholeTimeRangeAndKeepsThePurchaseShare()
    {
        var all = Sessionizer.Sessionize(Traffic(), SessionizerOptions.Default);
        var sample = SessionSampler.Sample(all, 1_000).Sessions;

        var middle = all[all.Count / 2].Start;
        double earlyShare = sample.Count(s => s.Start < middle) / (double)sample.Count;
        Assert.InRange(earlyShare, 0.42, 0.58);
        double populationBuyers = all.Count(s => s.HasPurchase) / (double)all.Count;
        double sampleBuyers = sample.Count(s => s.HasPurchase) / (double)sample.Count;
        Assert.InRange(sampleBuyers, populationBuyers - 0.03, populationBuyers + 0.03);
    }

    [Fact]
    public void KeyIsTheSameInEveryProcess()
    {
        // A fixed value: string.GetHashCode (randomized per process) or any other unstable input would change it.
        Assert.Equal(0xA971E54D3105F827UL, SessionSampler.Key("default", "519107250", new DateTime(2019, 10, 1, 0, 0, 1, DateTimeKind.Utc)));
    }

    [Fact]
    public void KeySeparatesTenantFromUser()
    {
        Assert.NotEqual(SessionSampler.Key("ab", "c", 0), SessionSampler.Key("a", "bc", 0));
        Assert.NotEqual(SessionSampler.Key("a", "b", 0), SessionSampler.Key("a", "b", 1));
    }

    [Fact]
    public void EqualKeysAreBrokenByPosition()
    {
        ulong[] keys = [5, 1, 5, 3, 5, 9];
        Assert.Equal([0, 1, 3], SessionSampler.SmallestKeys(keys, 3)); // keys 1 and 3, then the first 5; ascending positions
        Assert.Equal([0, 1, 2, 3, 4], SessionSampler.SmallestKeys(keys, 5));
    }

    [Fact]
    public void BoundBelowOneIsRejectedWithItsValue()
    {
        var all = Sessionizer.Sessionize([At("u", Min(0))], SessionizerOptions.Default);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => SessionSampler.Sample(all, 0));
        Assert.Contains("at least 1", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Sessionizer.SessionizeSample([At("u", Min(0))], SessionizerOptions.Default, -5));
    }

    [Fact]
    public void DescribeCountsWhatSessionizeWouldMaterialize()
    {
        var events = Traffic();
        var all = Sessionizer.Sessionize(events, SessionizerOptions.Default);

        var statistics = Sessionizer.Describe(events, SessionizerOptions.Default);

        Assert.Equal(SessionStatistics.Of(all), statistics);
        Assert.Equal(all.Count(s => s.HasPurchase), statistics.WithPurchase);
        Assert.Equal(all.Count(s => s.Censored), statistics.Censored);
        Assert.Equal(all.Select(s => (s.Tenant, s.UserId)).Distinct().Count(), statistics.Users);
    }

    [Fact]
    public void DescribeOfNoEventsIsEmpty() => Assert.Equal(SessionStatistics.Empty, Sessionizer.Describe([], SessionizerOptions.Default));

    [Fact]
    public void StatisticsUseNearestRankPercentilesOfSessionLengths()
    {
        // Ten users with sessions of 1..10 events.
        var events = new List<ClickEvent>();
        for (int u = 1; u <= 10; u++)
        {
            for (int k = 0; k < u; k++)
            {
                events.Add(At($"u{u}", TimeSpan.FromMinutes(k), k == 0 && u == 3 ? EventType.Purchase : EventType.View));
            }
        }

        var statistics = Sessionizer.Describe(events, SessionizerOptions.Default);

        Assert.Equal(10, statistics.Sessions);
        Assert.Equal(55, statistics.Events);
        Assert.Equal(5, statistics.MedianLength);
        Assert.Equal(9, statistics.P90Length);
        Assert.Equal(10, statistics.P99Length);
        Assert.Equal(10, statistics.MaxLength);
        Assert.Equal(1, statistics.WithPurchase);
        Assert.Equal(5.5, statistics.MeanLength);
        Assert.Equal(T0, statistics.FirstEvent);
        Assert.Equal(T0 + Min(9), statistics.LastEvent);
    }
}
