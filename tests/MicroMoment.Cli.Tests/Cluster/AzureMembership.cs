using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>Reads Orleans' membership table in Azure Storage (Azurite in tests).</summary>
internal static class AzureMembership
{
    /// <summary>Polls the membership table until the silo on <paramref name="siloPort"/> is marked Dead; returns when (<paramref name="clock"/> seconds).</summary>
    public static async Task<double> WaitDeclaredDeadAsync(string connectionString, string clusterId, int siloPort, Stopwatch clock, TimeSpan limit)
    {
        var table = new TableServiceClient(connectionString).GetTableClient("OrleansSiloInstances");
        var deadline = clock.Elapsed + limit;
        string port = siloPort.ToString(CultureInfo.InvariantCulture);
        while (clock.Elapsed < deadline)
        {
            await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == clusterId))
            {
                if (row.GetString("Port") == port && row.GetString("Status") == "Dead") return clock.Elapsed.TotalSeconds;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"The silo on port {siloPort} was not declared dead in the membership table within {limit.TotalSeconds:0} s.");
    }

    /// <summary>Every silo's row of <paramref name="clusterId"/>: its silo port and status (Active, Dead, …).</summary>
    public static async Task<Dictionary<int, string>> StatusesAsync(string connectionString, string clusterId)
    {
        var table = new TableServiceClient(connectionString).GetTableClient("OrleansSiloInstances");
        var statuses = new Dictionary<int, string>();
        await foreach (var row in table.QueryAsync<TableEntity>(e => e.PartitionKey == clusterId))
        {
            if (int.TryParse(row.GetString("Port"), CultureInfo.InvariantCulture, out int port)) statuses[port] = row.GetString("Status") ?? "?";
        }

        return statuses;
    }
}
