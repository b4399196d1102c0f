using StackExchange.Redis;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>tools/redis/start.sh: a Redis on loopback only, on the port it prints, its pid in the file, its append-only file on under the data folder.</summary>
public sealed class RedisStartScriptTests(RedisFixture redis) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task TheServerListensOnLoopbackOnlyWithItsPidAndDataWhereTheScriptSays()
    {
        Assert.Equal($"127.0.0.1:{redis.Port}", redis.ConnectionString);
        using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString + ",allowAdmin=true");
        var server = connection.GetServer(connection.GetEndPoints()[0]);
        string Config(string name) => Assert.Single(server.ConfigGet(name)).Value;

        Assert.Equal("127.0.0.1", Config("bind"));
        Assert.Equal(redis.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Config("port"));
        Assert.Equal("yes", Config("appendonly"));
        Assert.Equal("everysec", Config("appendfsync"));
        Assert.Equal(redis.Directory, Config("dir"));
        Assert.Equal("noeviction", Config("maxmemory-policy"));
        var info = server.Info("server").SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        Assert.Equal(redis.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), info["process_id"]);
        Assert.Equal("PONG", (await connection.GetDatabase().ExecuteAsync("PING")).ToString());
    }
}
