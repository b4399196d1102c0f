using System.Text.Json;
using MicroMoment.Cli;
using MicroMoment.Cli.Commands;
using MicroMoment.Cli.Simulation;
using MicroMoment.Cli.Traffic;
using MicroMoment.Client;
using MicroMoment.Silo;
using MicroMoment.Silo.Triggers;

namespace MicroMoment.Gateway.Tests;

/// <summary>simulate-policy against the live path, and the command's outputs and errors.</summary>
public sealed class PolicySimulationTests
{
    private static string DefaultPolicy => Path.Combine(BundledModel.RepositoryRoot, "policies", "default.yaml");

    [Fact]
    public async Task SimulatingTheRees46SampleCountsExactlyWhatTheLivePathDecidesWhenTheSameLogIsReplayedThroughTheGateway()
    {
        var model = BundledModel.Model;
        var files = new[] { new FileInfo(BundledModel.Rees46HeadPath) };

        // Live: a real silo with the default policy file behind the gateway, the log replayed over HTTP.
        var live = new SessionOutcomes(model.SessionTimeout);
        var gate = new Lock();
        await using (var gateway = await TestGateway.StartAsync(
            await RecordingSilo.StartAsync(new SiloOptions { PolicyPath = DefaultPolicy }), o => o.MaxEventAge = null))
        {
            var log = ReplayLog.Load(files, shiftToNow: false, DateTime.UtcNow);
            var report = await ReplayRunner.RunAsync(log, new ReplayOptions { Target = gateway.Host.BaseAddress, Key = TestGateway.ServerKey, BatchSize = 500, Concurrency = 4 },
                onResult: (e, r) =>
                {
                    var score = r.Score ?? throw new InvalidOperationException($"Event {e.EventId} came back {r.Status} {r.Reason} without a score.");
                    lock (gate)
                    {
                        live.Observe(new ObservedDecision(e.UserId, e.Timestamp!.Value.UtcDateTime, e.Type == EventKind.Purchase, score.NewSession,
                            score.Buy ?? float.NaN, score.Exit ?? float.NaN, score.Cluster, r.Decision?.Fired == true, r.Decision?.SuppressedBecause));
                    }
                });
            Assert.Equal(log.Events.Length, report.Accepted);
        }

        // Offline: the same log through an in-process silo.
        var (events, _, _) = ReplayLog.ReadOrdered(files);
        var simulated = await PolicySimulator.RunAsync(model, DefaultPolicy, events, TestGateway.Tenant);

        var cost = CostModel.Default;
        var a = live.Summarize(cost);
        var b = simulated.Outcomes.Summarize(cost);
        Assert.Equal("default-2", simulated.PolicyVersion);
        Assert.Equal(events.Length, b.Events);
        Assert.True(b.Sessions > 4_000, $"only {b.Sessions} sessions");
        Assert.True(b.Offers > 100 && b.HoldoutFires > 0 && b.CoveredSessions > 10, $"offers {b.Offers}, holdout {b.HoldoutFires}, covered {b.CoveredSessions}: the sample should exercise the policy");
        Assert.Equal(a.Events, b.Events);
        Assert.Equal(a.Sessions, b.Sessions);
        Assert.Equal(a.CensoredSessions, b.CensoredSessions);
        Assert.Equal(a.PurchasingSessions, b.PurchasingSessions);
        Assert.Equal(a.TriggeredSessions, b.TriggeredSessions);
        Assert.Equal(a.TriggeredPurchasingSessions, b.TriggeredPurchasingSessions);
        Assert.Equal(a.CoveredSessions, b.CoveredSessions);
        Assert.Equal(a.FirePoints, b.FirePoints);
        Assert.Equal(a.Offers, b.Offers);
        Assert.Equal(a.HoldoutFires, b.HoldoutFires);
        Assert.Equal(a.Precision, b.Precision);
        Assert.Equal(a.Coverage, b.Coverage);
        Assert.Equal(a.FalseAlarmRate, b.FalseAlarmRate);
        Assert.Equal(a.LeadTimeEvents, b.LeadTimeEvents);
        Assert.Equal(a.LeadTimeSeconds, b.LeadTimeSeconds);
        Assert.Equal(a.SuppressionsByReason.OrderBy(p => p.Key), b.SuppressionsByReason.OrderBy(p => p.Key));
        Assert.Equal(a.ExpectedValue, b.ExpectedValue);

        // The sweep reads the recorded scores: both paths recommend the same thresholds.
        var policy = PolicyLoader.LoadFile(DefaultPolicy, PolicyBinding.Of(model));
        var (intents, start) = ThresholdSweep.StartOf(policy);
        var liveSweep = ThresholdSweep.Run(live.Trace, live.Purchased(), intents, start, model.Features.ClusterNames, cost);
        var simSweep = ThresholdSweep.Run(simulated.Outcomes.Trace, simulated.Outcomes.Purchased(), intents, start, model.Features.ClusterNames, cost);
        Assert.Equal(liveSweep.Coordinates.Select(c => c.Recommended), simSweep.Coordinates.Select(c => c.Recommended));
        Assert.Equal(liveSweep.RecommendedValue, simSweep.RecommendedValue, 9);
    }

    [Fact]
    public async Task SimulatePolicyWritesTheReportAndARecommendedPolicyThatLoadsAndWasSimulatedAgain()
    {
        await InTemporaryFolderAsync("mm-simpol-", async dir =>
        {
            var (console, output) = TextConsole.Create();
            var code = await SimulatePolicyCommand.RunAsync(console, Settings(dir, DefaultPolicy), CancellationToken.None);

            var text = output.ToString();
            Assert.True(code == ExitCodes.Success, text);
            Assert.Contains("precision (triggered sessions that purchased)", text);
            var recommended = Path.Combine(dir.FullName, "recommended-policy.yaml");
            var policy = PolicyLoader.LoadFile(recommended, PolicyBinding.Of(BundledModel.Model));
            Assert.Equal("default-2-recommended", policy.Version);
            Assert.All(policy.Rules, r => Assert.NotEmpty(r.ClusterThresholds));

            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir.FullName, "policy-simulation.json")));
            var current = json.RootElement.GetProperty("current").GetProperty("metrics");
            var precision = current.GetProperty("precision");
            Assert.Equal(current.GetProperty("triggeredPurchasingSessions").GetInt32(), precision.GetProperty("successes").GetInt32());
            Assert.Equal(current.GetProperty("triggeredSessions").GetInt32(), precision.GetProperty("trials").GetInt32());
            Assert.InRange(precision.GetProperty("value").GetDouble(), 0.01, 1);
            Assert.Equal("default-2-recommended", json.RootElement.GetProperty("recommended").GetProperty("policyVersion").GetString());
            // The sweep maximises the sweep model's value, so it can never end below where it started.
            var sweep = json.RootElement.GetProperty("sweep");
            Assert.True(sweep.GetProperty("recommendedValue").GetDouble() >= sweep.GetProperty("currentValue").GetDouble());

            var html = await File.ReadAllTextAsync(Path.Combine(dir.FullName, "policy-simulation.html"));
            Assert.Contains("<svg", html);
            Assert.Contains("Expected value", html);
            Assert.Contains("default-2-recommended", html);
        });
    }

    [Fact]
    public async Task SimulatePolicyWithAModelWithoutABuyHeadSweepsOnlyTheRulesItCanFire()
    {
        await InTemporaryFolderAsync("mm-simpol-exit-", async dir =>
        {
            var m = BundledModel.Model;
            var exitOnly = Path.Combine(dir.FullName, "exit-only.mmm");
            new Scoring.MicroMomentModel(m.Features, m.Network, null, m.ExitCalibration, float.NaN, m.ExitThreshold, m.SessionTimeout, m.Info).Save(exitOnly);
            var (console, output) = TextConsole.Create();

            var code = await SimulatePolicyCommand.RunAsync(console, Settings(dir, DefaultPolicy) with { Model = new FileInfo(exitOnly) }, CancellationToken.None);

            var text = output.ToString();
            Assert.True(code == ExitCodes.Success, text);
            Assert.Contains("The model has no buy head: rules on it never fire and are not swept.", text);
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir.FullName, "policy-simulation.json")));
            var swept = json.RootElement.GetProperty("sweep").GetProperty("coordinates").EnumerateArray().Select(c => c.GetProperty("intent").GetString()).Distinct();
            Assert.Equal(["exit"], swept);
            var policy = PolicyLoader.LoadFile(Path.Combine(dir.FullName, "recommended-policy.yaml"), PolicyBinding.Of(m));
            Assert.All(policy.Rules.Where(r => r.Intent == Scoring.Intent.Buy), r => Assert.Empty(r.ClusterThresholds));
        });
    }

    [Fact]
    public async Task SimulatePolicyRefusesABadPolicyABadCostModelAndAMissingLogSayingWhatIsExpected()
    {
        await InTemporaryFolderAsync("mm-simpol-bad-", async dir =>
        {
            var bad = Path.Combine(dir.FullName, "bad.yaml");
            await File.WriteAllTextAsync(bad, "version: broken-1\nrules:\n  - name: r\n    intent: buy\n    offer: popup\n    thresholds: { default: 1.5 }\n");
            var (console, output) = TextConsole.Create();
            Assert.Equal(ExitCodes.BadInput, await SimulatePolicyCommand.RunAsync(console, Settings(dir, bad), CancellationToken.None));
            Assert.Contains("rules[0].thresholds.default", output.ToString());

            (console, output) = TextConsole.Create();
            Assert.Equal(ExitCodes.BadInput, await SimulatePolicyCommand.RunAsync(console, Settings(dir, DefaultPolicy) with { Cost = CostModel.Default with { Uplift = 0 } }, CancellationToken.None));
            Assert.Contains("--uplift 0 is not usable; expected a relative uplift above 0", output.ToString());

            (console, output) = TextConsole.Create();
            Assert.Equal(ExitCodes.BadInput, await SimulatePolicyCommand.RunAsync(console, Settings(dir, DefaultPolicy) with { Data = [new FileInfo(Path.Combine(dir.FullName, "nope.csv"))] }, CancellationToken.None));
            Assert.Contains("nope.csv' does not exist", output.ToString());
            Assert.False(File.Exists(Path.Combine(dir.FullName, "policy-simulation.html")));
        });
    }

    [Fact]
    public async Task ALogWithoutPurchasesIsSimulatedButNoThresholdIsRecommended()
    {
        await InTemporaryFolderAsync("mm-simpol-nobuy-", async dir =>
        {
            var log = Path.Combine(dir.FullName, "views.csv");
            await File.WriteAllLinesAsync(log,
            [
                "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session",
                "2019-10-01 00:00:00 UTC,view,1,2,electronics.smartphone,acme,10.0,7,s",
                "2019-10-01 00:01:00 UTC,view,1,2,electronics.smartphone,acme,10.0,7,s",
                "2019-10-01 00:02:00 UTC,cart,1,2,electronics.smartphone,acme,10.0,7,s",
            ]);
            var (console, output) = TextConsole.Create();
            var code = await SimulatePolicyCommand.RunAsync(console, Settings(dir, DefaultPolicy) with { Data = [new FileInfo(log)] }, CancellationToken.None);

            Assert.Equal(ExitCodes.Success, code);
            Assert.Contains("No session of the log has a purchase", output.ToString());
            Assert.False(File.Exists(Path.Combine(dir.FullName, "recommended-policy.yaml")));
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir.FullName, "policy-simulation.json")));
            Assert.Equal(3, json.RootElement.GetProperty("current").GetProperty("metrics").GetProperty("events").GetInt64());
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("sweep").ValueKind);
        });
    }

    private static async Task InTemporaryFolderAsync(string prefix, Func<DirectoryInfo, Task> body)
    {
        var dir = Directory.CreateTempSubdirectory(prefix);
        try
        {
            await body(dir);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static SimulatePolicyCommand.Settings Settings(DirectoryInfo dir, string policy) => new(
        new FileInfo(Path.Combine(BundledModel.RepositoryRoot, "models", "default", "model.mmm")),
        new FileInfo(policy),
        [new FileInfo(BundledModel.Rees46HeadPath)],
        dir,
        Events.ClickEvent.DefaultTenant,
        CostModel.Default,
        Sweep: true);
}
