using System.Net;
using MicroMoment.Cli;
using MicroMoment.Cli.Commands;
using MicroMoment.Cli.Traffic;

namespace MicroMoment.Gateway.Tests;

public sealed class CliTests
{
    [Fact]
    public async Task ServePrintsItsUrlsAndKeysAndAnswersOnThem()
    {
        var data = Directory.CreateTempSubdirectory("mm-serve-");
        try
        {
            var (console, output) = TextConsole.Create();
            await using (var session = await ServeCommand.StartAsync(console, new ServeSettings
            {
                Model = new FileInfo(Path.Combine(BundledModel.RepositoryRoot, "models", "default", "model.mmm")),
                DataDirectory = data,
                Urls = "http://127.0.0.1:0",
                ServerKey = TestGateway.ServerKey,
            }, CancellationToken.None))
            {
                var text = output.ToString();
                var root = session.Gateway.BaseAddress;
                Assert.Contains($"Demo:     {root}demo", text);
                Assert.Contains($"Dashboard: {root}dashboard", text);
                Assert.Contains(Path.Combine("policies", "default.yaml") + " (version default-2", text);
                Assert.Contains($"Tracker:  {root}tracker.js", text);
                Assert.Contains($"Metrics:  {root}metrics", text);
                Assert.Contains($"Server key:      {TestGateway.ServerKey}", text);
                var publishable = session.Gateway.Options.FirstPublishableKey!.Key;
                Assert.StartsWith("mm_pk_", publishable);
                Assert.Contains($"{publishable} (tenant default) generated for this run", text);
                using var http = new HttpClient { BaseAddress = root };
                Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
                Assert.Contains(publishable, await http.GetStringAsync("/demo"));
            }
            Assert.True(File.Exists(Path.Combine(data.FullName, Silo.Storage.SqliteGrainStorageOptions.DefaultFileName)));
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ServeWithAMissingModelFailsWithTheModelExitCode()
    {
        var data = Directory.CreateTempSubdirectory("mm-serve-model-");
        try
        {
            var (console, output) = TextConsole.Create();

            var code = await ServeCommand.RunAsync(console, new ServeSettings { Model = new FileInfo("/nonexistent/model.mmm"), DataDirectory = data }, CancellationToken.None);

            Assert.Equal(ExitCodes.BadModel, code);
            Assert.Contains("error:", output.ToString());
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ServeWithABadPolicyFileFailsNamingTheField()
    {
        var dir = Directory.CreateTempSubdirectory("mm-serve-policy-");
        try
        {
            var policy = Path.Combine(dir.FullName, "policy.yaml");
            await File.WriteAllTextAsync(policy, "version: broken-1\nrules:\n  - name: r\n    intent: sometimes\n    offer: popup\n");
            var (console, output) = TextConsole.Create();

            var code = await ServeCommand.RunAsync(console, new ServeSettings
            {
                Model = new FileInfo(Path.Combine(BundledModel.RepositoryRoot, "models", "default", "model.mmm")),
                Policy = new FileInfo(policy),
                DataDirectory = dir,
                Urls = "http://127.0.0.1:0",
            }, CancellationToken.None);

            Assert.Equal(ExitCodes.BadInput, code);
            Assert.Contains("rules[0].intent", output.ToString());
            var (console2, output2) = TextConsole.Create();
            Assert.Equal(ExitCodes.BadInput, await ServeCommand.RunAsync(console2, new ServeSettings
            {
                Model = new FileInfo(Path.Combine(BundledModel.RepositoryRoot, "models", "default", "model.mmm")),
                Policy = new FileInfo(Path.Combine(dir.FullName, "missing.yaml")),
                DataDirectory = dir,
            }, CancellationToken.None));
            Assert.Contains("missing.yaml does not exist", output2.ToString());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ReplayCommandReportsThroughputLatencyAndOffers()
    {
        await using var gateway = await TestGateway.StartAsync(configure: o => o.MaxEventAge = null);
        var (console, output) = TextConsole.Create();

        var code = await ReplayCommand.RunAsync(console, [new FileInfo(BundledModel.Rees46HeadPath)],
            new ReplayOptions { Target = gateway.Host.BaseAddress, Key = TestGateway.ServerKey }, shiftToNow: false, CancellationToken.None);

        var text = output.ToString();
        Assert.Equal(ExitCodes.Success, code);
        Assert.Matches(@"│ accepted\s+│ 17,434", text);
        Assert.Matches(@"│ events/s\s+│ [\d,]+", text);
        Assert.Matches(@"│ request latency\s+│ p50 [\d.]+ ms, p90 [\d.]+ ms, p99", text);
        Assert.Matches(@"│ offers fired\s+│ [1-9]", text);
    }

    [Fact]
    public async Task ReplayAgainstAGatewayThatRefusesOldEventsSaysHowToFixIt()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (console, output) = TextConsole.Create();

        var code = await ReplayCommand.RunAsync(console, [new FileInfo(BundledModel.Rees46HeadPath)],
            new ReplayOptions { Target = gateway.Host.BaseAddress, Key = TestGateway.ServerKey }, shiftToNow: false, CancellationToken.None);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("timestamp-too-old: 17,434", output.ToString());
        Assert.Contains("--accept-historical", output.ToString());
    }

    [Fact]
    public async Task ReplayShiftedToNowIsAcceptedByADefaultGateway()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (console, output) = TextConsole.Create();

        var code = await ReplayCommand.RunAsync(console, [new FileInfo(BundledModel.Rees46HeadPath)],
            new ReplayOptions { Target = gateway.Host.BaseAddress, Key = TestGateway.ServerKey, Speed = null }, shiftToNow: true, CancellationToken.None);

        Assert.Equal(ExitCodes.Success, code);
        Assert.Matches(@"│ accepted\s+│ 17,434", output.ToString());
        Assert.Contains("Timestamps shifted by", output.ToString());
    }

    [Fact]
    public async Task ReplayWithAWrongKeyFailsWithTheGatewayExitCode()
    {
        await using var gateway = await TestGateway.StartAsync(configure: o => o.MaxEventAge = null);
        var (console, output) = TextConsole.Create();

        var code = await ReplayCommand.RunAsync(console, [new FileInfo(BundledModel.Rees46HeadPath)],
            new ReplayOptions { Target = gateway.Host.BaseAddress, Key = "mm_sk_wrong_key_0000000000" }, shiftToNow: false, CancellationToken.None);

        Assert.Equal(ExitCodes.GatewayError, code);
        Assert.Contains("401", output.ToString());
    }

    [Fact]
    public async Task PacedReplayTakesAboutTheScaledEventTime()
    {
        await using var gateway = await TestGateway.StartAsync();
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        var events = Enumerable.Range(0, 5).Select(i => new Client.ShopperEvent { EventId = $"p{i}", UserId = "u", Type = Client.EventKind.View, Timestamp = start.AddSeconds(i * 10) }).ToArray();
        var log = new ReplayLog(events, 0, TimeSpan.Zero, new Data.IngestReport());

        var report = await ReplayRunner.RunAsync(log, new ReplayOptions { Target = gateway.Host.BaseAddress, Key = TestGateway.ServerKey, Speed = 100 });

        Assert.Equal(5, report.Accepted);
        Assert.InRange(report.Elapsed, TimeSpan.FromMilliseconds(380), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task SimulateSendsLabelledSyntheticTrafficAndReportsLatency()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (console, output) = TextConsole.Create();

        var code = await SimulateCommand.RunAsync(console, new SimulationOptions
        {
            Target = gateway.Host.BaseAddress,
            Key = TestGateway.ServerKey,
            Users = 300,
            Rate = 500,
            Duration = TimeSpan.FromSeconds(2),
            Connections = 2,
        }, CancellationToken.None);

        var text = output.ToString();
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("SYNTHETIC traffic", text);
        Assert.Matches(@"│ events sent\s+│ (9\d\d|1,0\d\d)", text);
        Assert.Matches(@"│ event → ack\s+│ p50 [\d.]+ ms", text);
        Assert.Matches(@"│ not accepted\s+│ 0 ", text);
    }

    [Theory]
    [InlineData("60x", 60.0)]
    [InlineData("1.5X", 1.5)]
    [InlineData("max", null)]
    public void SpeedParsesFactorsAndMax(string text, double? expected)
    {
        Assert.True(ReplayOptions.TryParseSpeed(text, out var speed, out _));
        Assert.Equal(expected, speed);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("0x")]
    [InlineData("-2x")]
    public void BadSpeedIsRefusedWithWhatIsExpected(string text)
    {
        Assert.False(ReplayOptions.TryParseSpeed(text, out _, out var error));
        Assert.Contains("expected a positive factor such as 60x", error);
    }
}
