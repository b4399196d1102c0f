using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using MicroMoment.Events;
using MicroMoment.Gateway.Dashboard;
using MicroMoment.Grains;
using MicroMoment.Silo;
using MicroMoment.Silo.Tests.Cluster;
using Microsoft.Extensions.DependencyInjection;

namespace MicroMoment.Gateway.Tests.Cluster;

/// <summary>
/// The dashboard of a gateway that is only an Orleans client of a two-silo cluster (as <c>micromoment gateway</c> is):
/// both silos with their status, activations and their own event counts, and the silo that really hosts a shopper's grain.
/// </summary>
public sealed class ClusterDashboardTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task TheDashboardListsBothSilosWithTheirOwnEventsAndNamesTheSiloHostingEachShopper()
    {
        await using var cluster = await TwoSiloCluster.StartAsync(BundledModel.Model, new SiloOptions());
        var a = cluster.FrontOf(cluster.A);
        var b = cluster.FrontOf(cluster.B);
        await PlaceAsync(cluster, cluster.A, a, "ada");
        await PlaceAsync(cluster, cluster.B, b, "bob");
        string addressA = cluster.A.SiloAddress.ToParsableString(), addressB = cluster.B.SiloAddress.ToParsableString();

        await using var gateway = await GatewayHost.StartAsync(b, o =>
        {
            o.Urls = "http://127.0.0.1:0";
            o.Keys = [new GatewayKey { Key = TestGateway.ServerKey, Tenant = TestGateway.Tenant, Kind = GatewayKeyKind.Server }];
        }, builder => builder.Services.AddSingleton<IClusterStatistics>(new OrleansClusterStatistics(cluster.Grains)));
        var sampler = gateway.App.Services.GetRequiredService<DashboardSampler>();

        // Three events for ada (on A), one for bob (on B); then two more for ada between two readings.
        await IngestAsync(a, "ada", 3);
        await IngestAsync(b, "bob", 1);
        await sampler.ReadClusterNowAsync();
        await IngestAsync(a, "ada", 2, first: 3);
        await Task.Delay(20); // the silos' clocks move between the readings
        await sampler.ReadClusterNowAsync();
        var snapshot = JsonNode.Parse(sampler.Sample())!;

        Assert.True(snapshot["cluster"]!["available"]!.GetValue<bool>(), (string?)snapshot["cluster"]!["error"]);
        Assert.Null(snapshot["cluster"]!["localSilo"]); // a client of the cluster: no silo in this process
        var rows = snapshot["silos"]!.AsArray().Select(s => s!).ToArray();
        Assert.Equal(new[] { addressA, addressB }.Order(StringComparer.Ordinal), rows.Select(r => r["address"]!.GetValue<string>()));
        var rowA = rows.Single(r => r["address"]!.GetValue<string>() == addressA);
        var rowB = rows.Single(r => r["address"]!.GetValue<string>() == addressB);
        foreach (var row in rows)
        {
            Assert.Equal("Active", row["status"]!.GetValue<string>());
            Assert.False(row["local"]!.GetValue<bool>());
            Assert.True(row["activations"]!.GetValue<int>() >= 2, $"{row["address"]}: expected the shopper's grains among the activations; got {row["activations"]}.");
            Assert.NotNull(row["cpuPercent"]);
            Assert.True(row["memoryBytes"]!.GetValue<long>() > 0);
            Assert.Null(row["error"]);
        }

        // Each silo's own counts: the events its user grains handled, and its user grains.
        Assert.Equal(5, rowA["eventsHandled"]!.GetValue<long>());
        Assert.Equal(1, rowB["eventsHandled"]!.GetValue<long>());
        Assert.Equal(1, rowA["userGrains"]!.GetValue<long>());
        Assert.Equal(1, rowB["userGrains"]!.GetValue<long>());
        Assert.True(rowA["eventsPerSec"]!.GetValue<double>() > 0, "A handled two events between the readings.");
        Assert.Equal(0, rowB["eventsPerSec"]!.GetValue<double>());

        // Activations per grain kind per silo (Orleans' grain statistics): one user grain on each.
        var user = snapshot["grains"]!.AsArray().Single(g => g!["type"]!.GetValue<string>() == "user")!;
        Assert.Equal(2, user["activations"]!.GetValue<long>());
        Assert.Equal(new[] { (addressA, 1L), (addressB, 1L) }.Order(), user["silos"]!.AsArray().Select(s => (s!["silo"]!.GetValue<string>(), s["activations"]!.GetValue<long>())).Order());

        // The shopper lookup names the silo that really hosts the grain.
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestGateway.ServerKey);
        foreach (var (shopper, host) in new[] { ("ada", cluster.A), ("bob", cluster.B) })
        {
            var view = JsonNode.Parse(await http.GetStringAsync($"/dashboard/api/users/{shopper}"))!;
            Assert.Equal(host.SiloAddress, cluster.WhereIs(cluster.UserGrainOf(TestGateway.Tenant, shopper)));
            Assert.Equal(host.SiloAddress.ToParsableString(), (string?)view["silo"]);
        }

        // Looking up a shopper activates nothing: a shopper with no grain in memory is "nowhere", and stays so.
        var statistics = new OrleansClusterStatistics(cluster.Grains);
        Assert.Null(await statistics.LocateAsync(TestGateway.Tenant, "nobody"));
        Assert.Null(cluster.WhereIs(cluster.UserGrainOf(TestGateway.Tenant, "nobody")));
    }

    [Fact]
    public async Task ASilosReportGrainRunsOnTheSiloItsKeyNamesAndNowhereElse()
    {
        await using var cluster = await TwoSiloCluster.StartAsync(BundledModel.Model, new SiloOptions());
        foreach (var silo in new[] { cluster.A, cluster.B })
        {
            var report = await cluster.Grains.GetGrain<ISiloReportGrain>(silo.SiloAddress.ToParsableString()).GetAsync();
            Assert.Equal(silo.SiloAddress.ToParsableString(), report.Silo);
        }

        // A silo that is not a member: the call fails, rather than reporting another silo's numbers under its name.
        string absent = Orleans.Runtime.SiloAddress.New(IPAddress.Loopback, 1, 42).ToParsableString();
        await Assert.ThrowsAnyAsync<Exception>(() => cluster.Grains.GetGrain<ISiloReportGrain>(absent).GetAsync().WaitAsync(Within));
    }

    /// <summary>Activates the shopper's grain on <paramref name="silo"/> (Orleans' placement hint; consent so it holds state and stays).</summary>
    private static async Task PlaceAsync(TwoSiloCluster cluster, Orleans.TestingHost.InProcessSiloHandle silo, IMicroMomentSilo front, string shopper)
    {
        await TwoSiloCluster.PlacedOnAsync(silo, async () =>
        {
            await front.SetConsentAsync(TestGateway.Tenant, shopper, new Consent(true, ["offers", "analytics"]));
            return 0;
        });
        Assert.Equal(silo.SiloAddress, cluster.WhereIs(cluster.UserGrainOf(TestGateway.Tenant, shopper)));
    }

    private static async Task IngestAsync(IMicroMomentSilo front, string shopper, int count, int first = 0)
    {
        var start = DateTime.UtcNow;
        var events = Enumerable.Range(first, count)
            .Select(i => new ClickEvent(TestGateway.Tenant, shopper, start.AddMilliseconds(i), EventType.View, 1001 + i, 77, "electronics.phone", "acme", 25f, EventId: $"{shopper}-{i}"))
            .ToArray();
        var outcomes = await front.IngestAsync(events);
        Assert.All(outcomes, o => Assert.Equal(IngestStatus.Accepted, o.Status));
    }
}
