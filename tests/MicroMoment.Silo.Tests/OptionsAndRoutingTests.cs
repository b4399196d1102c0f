using System.Text;
using static MicroMoment.Silo.Tests.SiloTestData;

namespace MicroMoment.Silo.Tests;

public class OptionsAndRoutingTests
{
    public static TheoryData<string, SiloOptions> InvalidOptions => new()
    {
        { "QueueCapacity", new SiloOptions { QueueCapacity = 0 } },
        { "BatchSize", new SiloOptions { BatchSize = 0 } },
        { "IdleTimeout", new SiloOptions { IdleTimeout = TimeSpan.Zero } },
        { "CheckpointEvents", new SiloOptions { CheckpointEvents = 0 } },
        { "Durability", new SiloOptions { Durability = (Durability)7 } },
        { "BatchQuietPeriod", new SiloOptions { BatchQuietPeriod = TimeSpan.FromSeconds(1) } },
        { "Backend", new SiloOptions { Backend = " " } },
        { "DataDirectory", new SiloOptions { DataDirectory = "  " } },
        { "CheckpointInterval", new SiloOptions { CheckpointInterval = TimeSpan.Zero } },
        { "TimelineCapacity", new SiloOptions { TimelineCapacity = 0 } },
        { "DedupCapacity", new SiloOptions { DedupCapacity = 0 } },
        { "BuyThreshold", new SiloOptions { Trigger = new TriggerPolicyOptions { BuyThreshold = 1.5f } } },
        { "ExitThreshold", new SiloOptions { Trigger = new TriggerPolicyOptions { ExitThreshold = float.NaN } } },
        { "BuyThresholdByCluster", new SiloOptions { Trigger = new TriggerPolicyOptions { BuyThresholdByCluster = new Dictionary<int, float> { [0] = 0f } } } },
        { "Cooldown", new SiloOptions { Trigger = new TriggerPolicyOptions { Cooldown = TimeSpan.FromSeconds(-1) } } },
        { "MaxOffersPerSession", new SiloOptions { Trigger = new TriggerPolicyOptions { MaxOffersPerSession = 0 } } },
        { "ProposalTimeToLive", new SiloOptions { Trigger = new TriggerPolicyOptions { ProposalTimeToLive = TimeSpan.Zero } } },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public async Task InvalidOptionsAreRefusedNamingTheSetting(string setting, SiloOptions options)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => EmbeddedSilo.StartAsync(BundledModel, options));
        Assert.Contains(setting, error.Message);
        Assert.Contains("expected", error.Message);
    }

    [Fact]
    public async Task AThresholdForAClusterTheModelDoesNotHaveIsRefused()
    {
        var options = new SiloOptions { Trigger = new TriggerPolicyOptions { BuyThresholdByCluster = new Dictionary<int, float> { [99] = 0.5f } } };
        var error = await Assert.ThrowsAsync<ArgumentException>(() => EmbeddedSilo.StartAsync(BundledModel, options));
        Assert.Contains("cluster 99", error.Message);
    }

    [Theory]
    [InlineData("default", "user-1")]
    [InlineData("shop-é", "Zoë 🛒")]
    [InlineData("t", "lone\ud800surrogate")]
    public void TheRoutingHashIsFnv1aOverUtf8WithTheSplitMixFinaliser(string tenant, string user)
    {
        // An independent computation over the UTF-8 bytes (a lone surrogate encodes as U+FFFD).
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(tenant)) { 0xFF };
        bytes.AddRange(Encoding.UTF8.GetBytes(user));
        ulong hash = 14695981039346656037UL;
        foreach (byte b in bytes) hash = (hash ^ b) * 1099511628211UL;
        hash = (hash ^ (hash >> 30)) * 0xBF58476D1CE4E5B9UL;
        hash = (hash ^ (hash >> 27)) * 0x94D049BB133111EBUL;
        hash ^= hash >> 31;
        Assert.Equal(hash, StableHash.Of(tenant, user));
    }

    [Fact]
    public void TheShopperHashIsDeterministicAndSpreadsShoppersEvenly()
    {
        Assert.Equal(StableHash.Of("default", "user-1"), StableHash.Of("default", "user-1"));
        Assert.NotEqual(StableHash.Of("a", "bc"), StableHash.Of("ab", "c"));
        var counts = new int[64];
        for (int i = 0; i < 64_000; i++) counts[(int)(StableHash.Of("default", $"user-{i}") % 64)]++;
        Assert.All(counts, c => Assert.InRange(c, 800, 1200));
    }

    [Theory]
    [InlineData("default/user-1", 0)]
    [InlineData("shop-é/Zoë 🛒", 17)]
    [InlineData("t/a/b/c", int.MaxValue)]
    public void OfferIdsNameTheGrainThatOwnsThem(string key, int sequence)
    {
        string id = MicroMoment.Grains.OfferKeys.Create(key, sequence);
        Assert.True(MicroMoment.Grains.OfferKeys.TryGetGrainKey(id, out var back));
        Assert.Equal(key, back);
    }

    [Theory]
    [InlineData("")]
    [InlineData("3f-00000000000000ab-1")]
    [InlineData("ZGVmYXVsdA.1")] // "default": no shopper
    [InlineData("ZGVmYXVsdC91.zz")]
    [InlineData("!!!.1")]
    [InlineData("ZGVmYXVsdC91")]
    public void StringsThatAreNotOfferIdsOfThisProjectAreRefused(string id) => Assert.False(MicroMoment.Grains.OfferKeys.TryGetGrainKey(id, out _));
}
