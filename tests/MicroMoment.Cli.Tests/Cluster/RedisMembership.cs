using System.Diagnostics;
using StackExchange.Redis;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>Reads Orleans' Redis membership table (a hash per cluster: a Version field and one JSON entry per silo).</summary>
internal static class RedisMembership
{
    /// <summary>The hash's key, as Orleans' Redis clustering names it by default.</summary>
    public static RedisKey Key(string serviceId, string clusterId) => $"{serviceId}/members/{clusterId}";

    /// <summary>Every silo entry of the cluster: its address (ip:port@generation), its port and its status name.</summary>
    public static async Task<List<(string Address, int Port, string Status)>> ReadAsync(IDatabase database, string serviceId, string clusterId)
    {
        var entries = new List<(string, int, string)>();
        foreach (var field in await database.HashGetAllAsync(Key(serviceId, clusterId)))
        {
            if (field.Name == "Version") continue;
            using var json = System.Text.Json.JsonDocument.Parse(field.Value.ToString());
            string address = field.Name.ToString();
            var status = json.RootElement.GetProperty("Status");
            string name = status.ValueKind == System.Text.Json.JsonValueKind.Number ? ((Orleans.Runtime.SiloStatus)status.GetInt32()).ToString() : status.GetString()!;
            entries.Add((address, Port(address), name));
        }

        return entries;
    }

    /// <summary>Polls the membership hash until the silo on <paramref name="siloPort"/> is marked Dead; returns when (<paramref name="clock"/> seconds).</summary>
    public static async Task<double> WaitDeclaredDeadAsync(string connectionString, string serviceId, string clusterId, int siloPort, Stopwatch clock, TimeSpan limit)
    {
        using var connection = await ConnectionMultiplexer.ConnectAsync(connectionString);
        var database = connection.GetDatabase();
        var deadline = clock.Elapsed + limit;
        while (clock.Elapsed < deadline)
        {
            if ((await ReadAsync(database, serviceId, clusterId)).Any(e => e.Port == siloPort && e.Status == "Dead")) return clock.Elapsed.TotalSeconds;
            await Task.Delay(100);
        }

        throw new TimeoutException($"The silo on port {siloPort} was not declared dead in Redis' membership ({Key(serviceId, clusterId)}) within {limit.TotalSeconds:0} s.");
    }

    private static int Port(string address)
    {
        // "S127.0.0.1:11111:123456789" or "127.0.0.1:11111@123456789": the port follows the first colon after the host.
        string text = address.TrimStart('S');
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string rest = text[(colon + 1)..];
        int end = rest.IndexOfAny([':', '@']);
        return int.Parse(end < 0 ? rest : rest[..end], System.Globalization.CultureInfo.InvariantCulture);
    }
}
