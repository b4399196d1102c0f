using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using MicroMoment.Client;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// Two <c>micromoment silo</c> processes and a <c>micromoment gateway</c> (localhost membership, state in memory): the
/// gateway's own dashboard and Orleans' dashboard at /orleans both show both silos, and the events each silo's grains
/// handled add up to the events sent.
/// </summary>
[Collection(ClusterFaultCollection.Name)]
public sealed class ClusterDashboardProcessTests
{
    private const string ServerKey = "sk_cluster_dashboard_test_0123456789";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task TheGatewayProcessDashboardsShowEverySiloOfTheCluster()
    {
        int[] siloPorts = [ClusterReadiness.FreePort(), ClusterReadiness.FreePort()], gatewayPorts = [ClusterReadiness.FreePort(), ClusterReadiness.FreePort()], siloHttp = [ClusterReadiness.FreePort(), ClusterReadiness.FreePort()];
        int gatewayHttp = ClusterReadiness.FreePort();
        var common = new Dictionary<string, string>
        {
            ["MICROMOMENT__Cluster__Provider"] = "localhost",
            ["MICROMOMENT__Cluster__ClusterId"] = "dashboard-" + Guid.NewGuid().ToString("N")[..8],
            ["MICROMOMENT__Cluster__PrimarySilo"] = $"127.0.0.1:{siloPorts[0]}",
            ["MICROMOMENT__Storage__Provider"] = "memory",
        };

        var processes = new List<ClusterProcess>();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            for (int i = 0; i < 2; i++)
            {
                processes.Add(ClusterProcess.Start($"silo{i}", "silo", common,
                    $"--Cluster:SiloPort={siloPorts[i]}", $"--Cluster:GatewayPort={gatewayPorts[i]}", $"--Silo:Urls=http://127.0.0.1:{siloHttp[i]}"));
                await ClusterReadiness.WaitReadyAsync(http, processes[i], new Uri($"http://127.0.0.1:{siloHttp[i]}/"), Within);
            }

            var gateway = ClusterProcess.Start("gateway", "gateway", new Dictionary<string, string>(common) { ["MICROMOMENT_SERVER_KEY"] = ServerKey },
                $"--Cluster:Gateways:0=127.0.0.1:{gatewayPorts[0]}", $"--Cluster:Gateways:1=127.0.0.1:{gatewayPorts[1]}", $"--Gateway:Urls=http://127.0.0.1:{gatewayHttp}");
            processes.Add(gateway);
            var root = new Uri($"http://127.0.0.1:{gatewayHttp}/");
            await ClusterReadiness.WaitReadyAsync(http, gateway, root, Within);

            // Shoppers whose grains Orleans spreads over both silos.
            using var client = new MicroMomentClient(root, ServerKey, new HttpClient { Timeout = TimeSpan.FromSeconds(30) });
            string[] shoppers = [.. Enumerable.Range(0, 40).Select(i => $"shopper-{i}")];
            var sent = await client.SendBatchAsync([.. shoppers.Select(s => new ShopperEvent { UserId = s, Type = EventKind.View, ProductId = 1001, Price = 9.5 })]);
            Assert.Equal(shoppers.Length, sent.Accepted);

            using var api = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromSeconds(30) };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServerKey);

            // Our dashboard: a row per silo, Active, with Orleans' activations and the silo's own event count.
            var deadline = DateTime.UtcNow + Within;
            JsonNode[] rows;
            while (true)
            {
                var snapshot = JsonNode.Parse(await api.GetStringAsync("/dashboard/api/snapshot"))!;
                rows = [.. snapshot["silos"]!.AsArray().Select(s => s!)];
                long handled = rows.Sum(r => r["eventsHandled"]?.GetValue<long>() ?? 0);
                if (rows.Length == 2 && rows.All(r => (string?)r["status"] == "Active" && r["activations"] is not null) && handled == shoppers.Length) break;
                Assert.True(DateTime.UtcNow < deadline, $"The gateway's dashboard did not show both silos with {shoppers.Length} events handled; last snapshot's silos: {snapshot["silos"]!.ToJsonString()}, cluster: {snapshot["cluster"]!.ToJsonString()}");
                await Task.Delay(500);
            }

            string[] addresses = [.. rows.Select(r => (string)r["address"]!)];
            Assert.Equal(siloPorts.Select(p => $"127.0.0.1:{p}").Order(), addresses.Select(a => a[..a.IndexOf('@')]).Order());
            Assert.All(rows, r => Assert.False((bool)r["local"]!));

            // Where each shopper's grain lives: one of the two silos, each hosting some (Orleans' random placement over 40 shoppers).
            var hosts = new List<string>();
            foreach (var shopper in shoppers)
                hosts.Add((string)JsonNode.Parse(await api.GetStringAsync($"/dashboard/api/users/{shopper}"))!["silo"]!);
            Assert.All(hosts, h => Assert.Contains(h, addresses));
            foreach (var row in rows)
                Assert.Equal(hosts.Count(h => h == (string)row["address"]!), row["userGrains"]!.GetValue<long>());

            // Orleans' dashboard served by the gateway process: both silos active.
            deadline = DateTime.UtcNow + Within;
            while (true)
            {
                using var response = await api.GetAsync("/orleans/DashboardCounters");
                var body = response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
                if (body?["totalActiveHostCount"]?.GetValue<int>() == 2) break;
                Assert.True(DateTime.UtcNow < deadline, $"Orleans' dashboard at the gateway did not show two active silos: {(int)response.StatusCode} {body?.ToJsonString()}");
                await Task.Delay(500);
            }
        }
        finally
        {
            foreach (var process in processes) process.Dispose();
        }
    }
}
