using MicroMoment.Cli.Cluster;
using MicroMoment.Events;
using MicroMoment.Silo;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// A <c>micromoment silo</c> (started in this process from its configuration) on a real Redis, membership and grain state
/// there, every-event durability: shoppers' state lands in Redis, the silo is Active in Redis' membership, and erasing a
/// shopper deletes every record of theirs, also for a shopper never stored (Orleans' Redis provider refuses to clear a
/// record that does not exist).
/// </summary>
public sealed class RedisStorageTests(RedisFixture redis, ITestOutputHelper output) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task StateGoesToRedisAndErasingAShopperDeletesAllOfIt()
    {
        string serviceId = "svc-" + Guid.NewGuid().ToString("N")[..8];
        string clusterId = "redis-" + Guid.NewGuid().ToString("N")[..8];
        await using var app = await StartSiloAsync(serviceId, clusterId);
        var silo = app.Services.GetRequiredService<IMicroMomentSilo>();
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var server = connection.GetServer(connection.GetEndPoints()[0]);

        var members = await RedisMembership.ReadAsync(connection.GetDatabase(), serviceId, clusterId);
        var local = Assert.Single(members);
        Assert.Equal("Active", local.Status);

        string erased = "erased-" + Guid.NewGuid().ToString("N")[..6], kept = "kept-" + Guid.NewGuid().ToString("N")[..6];
        foreach (string user in new[] { erased, kept })
        {
            var outcomes = await silo.IngestAsync(Events(user, 5));
            Assert.All(outcomes, o => Assert.Equal(IngestStatus.Accepted, o.Status));
            Assert.Equal(5, (await silo.GetUserAsync(ClickEvent.DefaultTenant, user))!.EventsApplied);
        }

        Assert.NotEmpty(KeysOf(server, serviceId, erased));
        Assert.NotEmpty(KeysOf(server, serviceId, kept));
        output.WriteLine($"membership: {RedisMembership.Key(serviceId, clusterId)} ({local.Address}); state: {string.Join(", ", KeysOf(server, serviceId, kept))}");

        Assert.True(await silo.EraseUserAsync(ClickEvent.DefaultTenant, erased));
        Assert.Empty(KeysOf(server, serviceId, erased));
        Assert.NotEmpty(KeysOf(server, serviceId, kept));
        Assert.Null(await silo.GetUserAsync(ClickEvent.DefaultTenant, erased));

        // Erasing again (nothing stored now) and erasing a shopper never seen both answer "nothing there".
        Assert.False(await silo.EraseUserAsync(ClickEvent.DefaultTenant, erased));
        Assert.False(await silo.EraseUserAsync(ClickEvent.DefaultTenant, "never-" + Guid.NewGuid().ToString("N")[..6]));

        // The kept shopper's state is read back from Redis by a fresh activation.
        Assert.True(await silo.EraseUserAsync(ClickEvent.DefaultTenant, kept));
        Assert.Empty(KeysOf(server, serviceId, kept));
    }

    private async Task<WebApplication> StartSiloAsync(string serviceId, string clusterId)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cluster:Provider"] = "redis",
            ["Cluster:ConnectionString"] = redis.ConnectionString,
            ["Cluster:ServiceId"] = serviceId,
            ["Cluster:ClusterId"] = clusterId,
            ["Cluster:AdvertisedAddress"] = "127.0.0.1",
            ["Cluster:SiloPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cluster:GatewayPort"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Storage:Provider"] = "redis",
            ["Silo:Durability"] = "every-event",
            ["Silo:Urls"] = "http://127.0.0.1:0",
        }).Build();
        return await SiloProcess.StartAsync(configuration, null, CancellationToken.None);
    }

    private static List<RedisKey> KeysOf(IServer server, string serviceId, string user) =>
        server.Keys(pattern: $"{serviceId}/state/*{user}*").ToList();

    private static ClickEvent[] Events(string user, int count)
    {
        var start = DateTime.UtcNow.AddMinutes(-1);
        return Enumerable.Range(0, count).Select(i => new ClickEvent(
            ClickEvent.DefaultTenant, user, start.AddSeconds(i), EventType.View, 1000 + i, 42, "electronics.smartphone", "acme", 199f,
            EventId: $"{user}-{i}")).ToArray();
    }
}
