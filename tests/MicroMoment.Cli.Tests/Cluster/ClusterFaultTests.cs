using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using MicroMoment.Client;
using MicroMoment.Data;
using MicroMoment.Events;
using Xunit.Abstractions;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// Three <c>micromoment silo</c> processes and one <c>micromoment gateway</c> on loopback, membership and grain state in
/// Azurite, every-event durability; REES46 replayed through the gateway with event ids by a client that resends what was
/// not acknowledged. One silo is killed with SIGKILL mid-stream. Afterwards every shopper's grain must reflect exactly
/// the events acknowledged for them: none lost, none applied twice. Prints the detection and recovery times (docs/cluster.md).
/// </summary>
public sealed class ClusterFaultTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private const string ServerKey = "sk_cluster_fault_test_0123456789";
    private const int Events = 3_000;
    private const int Batch = 25;
    private const int Lanes = 8;

    [Fact]
    public async Task KillingASiloMidStreamLosesNoAcknowledgedEventAndAppliesNoneTwice()
    {
        string clusterId = "fault-" + Guid.NewGuid().ToString("N")[..8];
        // Production defaults unless asked: MICROMOMENT_FAULT_MEMBERSHIP=defaults measures Orleans' own timing (a hand-run soak).
        bool defaults = Environment.GetEnvironmentVariable("MICROMOMENT_FAULT_MEMBERSHIP") == "defaults";
        var common = new Dictionary<string, string>
        {
            ["MICROMOMENT__Cluster__Provider"] = "azure",
            ["MICROMOMENT__Cluster__ConnectionString"] = azurite.ConnectionString,
            ["MICROMOMENT__Cluster__ClusterId"] = clusterId,
            ["MICROMOMENT__Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["MICROMOMENT__Storage__Provider"] = "azure",
            ["MICROMOMENT__Silo__Durability"] = "every-event",
        };
        if (!defaults)
        {
            // Test membership timing: a silo that misses 3 probes of 2 s is voted dead; tables are re-read every 2 s. (Probes
            // of 1 s with 2 misses stalled the stream once beside the other test projects on 2 cores; starved silos voted dead, suspected.)
            common["MICROMOMENT__Cluster__Membership__ProbeTimeout"] = "00:00:02";
            common["MICROMOMENT__Cluster__Membership__NumMissedProbesLimit"] = "3";
            common["MICROMOMENT__Cluster__Membership__TableRefreshTimeout"] = "00:00:02";
        }

        var events = LoadEvents(RepositoryPaths.Rees46Head, Events);
        var processes = new List<ClusterProcess>();
        try
        {
            var silos = new List<(ClusterProcess Process, int SiloPort, Uri Http)>();
            for (int i = 0; i < 3; i++)
            {
                int siloPort = FreePort(), gatewayPort = FreePort(), httpPort = FreePort();
                var silo = ClusterProcess.Start($"silo{i}", "silo", common,
                    $"--Cluster:SiloPort={siloPort}", $"--Cluster:GatewayPort={gatewayPort}", $"--Silo:Urls=http://127.0.0.1:{httpPort}");
                processes.Add(silo);
                silos.Add((silo, siloPort, new Uri($"http://127.0.0.1:{httpPort}/")));
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            foreach (var (process, _, uri) in silos) await WaitReadyAsync(http, process, uri, TimeSpan.FromSeconds(90));

            int gatewayHttp = FreePort();
            var gatewayEnvironment = new Dictionary<string, string>(common) { ["MICROMOMENT_SERVER_KEY"] = ServerKey };
            var gateway = ClusterProcess.Start("gateway", "gateway", gatewayEnvironment, $"--Gateway:Urls=http://127.0.0.1:{gatewayHttp}", "--Gateway:MaxEventAge=");
            processes.Add(gateway);
            var gatewayUri = new Uri($"http://127.0.0.1:{gatewayHttp}/");
            await WaitReadyAsync(http, gateway, gatewayUri, TimeSpan.FromSeconds(60));

            using var client = new MicroMomentClient(gatewayUri, ServerKey, new HttpClient { Timeout = TimeSpan.FromSeconds(30) });
            var clock = Stopwatch.StartNew();
            var victim = silos[1];
            // Shoppers are spread over lanes that send concurrently; within a lane (so for each shopper) events go in order,
            // and a batch's unacknowledged events are resent (same ids) before the lane moves on.
            var lanes = events.GroupBy(e => (uint)StringComparer.Ordinal.GetHashCode(e.UserId) % Lanes).Select(g => g.ToList()).ToArray();
            var ledger = new AckLedger();
            var sending = lanes.Select(lane => SendLaneAsync(client, lane, ledger, clock, gateway)).ToArray();
            while (ledger.Count < events.Count / 3 && !sending.All(t => t.IsCompleted)) await Task.Delay(20);
            if (sending.All(t => t.IsCompleted))
            {
                var errors = sending.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!.Message).Distinct().Take(3);
                Assert.Fail($"The stream ended before the silo was killed ({ledger.Count} of {events.Count} acknowledged). Lane errors:\n{string.Join("\n", errors)}\nSilo outputs:\n{string.Join("\n---\n", silos.Select(x => x.Process.Output[Math.Max(0, x.Process.Output.Length - 2_000)..]))}");
            }

            victim.Process.KillHard();
            double killedAt = clock.Elapsed.TotalSeconds;
            var detection = WaitDeclaredDeadAsync(azurite.ConnectionString, clusterId, victim.SiloPort, clock, TimeSpan.FromSeconds(120));
            await Task.WhenAll(sending);
            var acknowledged = ledger.PerUser;
            var ackTimes = ledger.Times;
            int resends = ledger.Resent;
            double streamEnd = clock.Elapsed.TotalSeconds;
            double deadAt = await detection;
            Assert.True(streamEnd - killedAt > 2, $"The silo was killed {killedAt:0.0} s into a stream of {streamEnd:0.0} s; expected it mid-stream.");

            // Every shopper's grain (reactivated from Azure storage wherever it lives now) against what was acknowledged.
            var mismatches = new List<string>();
            long applied = 0;
            foreach (var (user, count) in acknowledged)
            {
                var state = await client.GetUserAsync(user);
                long reflected = state?.EventsApplied ?? 0;
                applied += reflected;
                if (reflected != count) mismatches.Add($"{user}: acknowledged {count}, applied {reflected}");
            }

            double baseline = Rate(ackTimes, 1, killedAt);
            double recovered = RecoveryTime(ackTimes, killedAt, baseline * 0.8, streamEnd);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"membership={(defaults ? "defaults" : "test")} events={events.Count} users={acknowledged.Count} acknowledged={ackTimes.Count} applied={applied} resent={resends} killed_at={killedAt:0.00}s declared_dead_after={deadAt - killedAt:0.00}s rate_before={baseline:0}/s rate_back_after={recovered - killedAt:0.00}s stream={streamEnd:0.0}s"));
            Assert.True(mismatches.Count == 0, $"{mismatches.Count} shoppers' state differs from what was acknowledged (lost or applied twice):\n{string.Join('\n', mismatches.Take(20))}");
            Assert.Equal(ackTimes.Count, applied);
            Assert.True(ackTimes.Count > events.Count * 9 / 10, $"Only {ackTimes.Count} of {events.Count} events were acknowledged; expected nearly all (the rest rejected as invalid).");
        }
        finally
        {
            foreach (var process in processes) process.Dispose();
        }
    }

    /// <summary>Sends one lane's events in batches, resending each batch's unacknowledged events until all are acknowledged or rejected.</summary>
    private static async Task SendLaneAsync(MicroMomentClient client, List<ShopperEvent> lane, AckLedger ledger, Stopwatch clock, ClusterProcess gateway)
    {
        await Task.Yield();
        for (int start = 0; start < lane.Count; start += Batch)
        {
            var pending = lane.Skip(start).Take(Batch).ToList();
            var deadline = clock.Elapsed + TimeSpan.FromSeconds(180);
            while (pending.Count > 0)
            {
                Assert.True(clock.Elapsed < deadline, $"Events still unacknowledged after 180 s; gateway output:\n{gateway.Output}");
                IReadOnlyList<EventResult>? results;
                try
                {
                    results = (await client.SendBatchAsync(pending)).Results;
                }
                catch (OverloadedException ex)
                {
                    results = ex.Results;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or MicroMomentApiException)
                {
                    results = null;
                }

                var again = new List<ShopperEvent>();
                for (int k = 0; k < pending.Count; k++)
                {
                    switch (results is null || results.Count != pending.Count ? EventStatus.Overloaded : results[k].Status)
                    {
                        case EventStatus.Accepted or EventStatus.Duplicate:
                            ledger.Acknowledge(pending[k].UserId, clock.Elapsed.TotalSeconds);
                            break;
                        case EventStatus.Overloaded:
                            again.Add(pending[k]);
                            break;
                        default:
                            // Rejected (invalid) or opted out: never applied, never acknowledged.
                            break;
                    }
                }

                if (again.Count > 0)
                {
                    ledger.Resend(again.Count);
                    await Task.Delay(200);
                }

                pending = again;
            }
        }
    }

    /// <summary>The first <paramref name="count"/> REES46 rows as client events, each with an id derived from its row.</summary>
    private static List<ShopperEvent> LoadEvents(string path, int count)
    {
        var report = new IngestReport();
        return Rees46CsvReader.Read(path, report).Take(count).Select((e, i) => new ShopperEvent
        {
            EventId = "rees46-" + i.ToString(CultureInfo.InvariantCulture),
            UserId = e.UserId,
            Type = e.Type switch
            {
                EventType.View => EventKind.View,
                EventType.Cart => EventKind.Cart,
                EventType.RemoveFromCart => EventKind.RemoveFromCart,
                _ => EventKind.Purchase,
            },
            Timestamp = new DateTimeOffset(e.Timestamp, TimeSpan.Zero),
            ProductId = e.ProductId,
            CategoryId = e.CategoryId,
            CategoryCode = e.CategoryCode,
            Brand = e.Brand,
            Price = float.IsFinite(e.Price) ? e.Price : null,
        }).ToList();
    }

    /// <summary>Acknowledged events per second between <paramref name="from"/> and <paramref name="to"/> (stopwatch seconds).</summary>
    private static double Rate(List<double> times, double from, double to) =>
        to - from <= 0 ? 0 : times.Count(t => t >= from && t < to) / (to - from);

    /// <summary>The end of the first 1 s window after <paramref name="killedAt"/> whose acknowledged rate reaches <paramref name="target"/>.</summary>
    private static double RecoveryTime(List<double> times, double killedAt, double target, double end)
    {
        for (double t = killedAt + 1; t <= end; t += 0.1)
        {
            if (Rate(times, t - 1, t) >= target) return t;
        }

        return double.NaN;
    }

    /// <summary>Polls Orleans' membership table until the silo on <paramref name="siloPort"/> is marked Dead; returns when (stopwatch seconds).</summary>
    private static async Task<double> WaitDeclaredDeadAsync(string connectionString, string clusterId, int siloPort, Stopwatch clock, TimeSpan limit)
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

        throw new TimeoutException($"The killed silo (port {siloPort}) was not declared dead in the membership table within {limit.TotalSeconds:0} s.");
    }

    private static async Task WaitReadyAsync(HttpClient http, ClusterProcess process, Uri root, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(process.HasExited, $"{process.Name} exited before it was ready:\n{process.Output}");
            try
            {
                using var answer = await http.GetAsync(new Uri(root, "readyz"));
                if (answer.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        Assert.Fail($"{process.Name} was not ready within {limit.TotalSeconds:0} s:\n{process.Output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
