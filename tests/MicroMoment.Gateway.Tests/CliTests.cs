using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using MicroMoment.Cli;
using MicroMoment.Cli.Commands;
using MicroMoment.Cli.Traffic;
using MicroMoment.Silo;

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
        // Any buy score fires (one offer per session, five minutes apart): every shopper's first event is an offer,
        // whatever the model's weights make of the log.
        var silo = await RecordingSilo.StartAsync(new SiloOptions { Trigger = new TriggerPolicyOptions { BuyThreshold = 1e-6f, ExitThreshold = 1f } });
        await using var gateway = await TestGateway.StartAsync(silo, o => o.MaxEventAge = null);
        var (console, output) = TextConsole.Create();
        var shoppers = ReplayLog.Load([new FileInfo(BundledModel.Rees46HeadPath)], shiftToNow: false, DateTime.UtcNow).Events.Select(e => e.UserId).Distinct().Count();

        var watch = Stopwatch.StartNew();
        var code = await ReplayCommand.RunAsync(console, [new FileInfo(BundledModel.Rees46HeadPath)],
            new ReplayOptions { Target = gateway.Host.BaseAddress, Key = TestGateway.ServerKey }, shiftToNow: false, CancellationToken.None);
        var took = watch.Elapsed;

        var text = output.ToString();
        Assert.Equal(ExitCodes.Success, code);
        Assert.Matches(@"│ accepted\s+│ 17,434", text);
        Assert.Matches(@"│ request latency\s+│ p50 [\d.]+ ms, p90 [\d.]+ ms, p99", text);
        // Offers: the count the trigger grains keep, at least one per shopper.
        long offers = Number(text, "offers fired");
        Assert.Equal(silo.Inner.GetStatistics().OffersFired, offers);
        Assert.True(offers >= shoppers, $"{offers} offers for {shoppers} shoppers");
        // Throughput: the events over the wall time printed (to its rounding), and that wall time within the run's.
        long events = Number(text, "events");
        double wall = double.Parse(Regex.Match(text, @"│ wall time\s+│ ([\d.]+) s").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.Equal(17_434, events);
        Assert.InRange(wall, 0.01, took.TotalSeconds + 0.005);
        Assert.InRange(Number(text, "events/s"), events / (wall + 0.005) - 1, events / (wall - 0.005) + 1);
    }

    /// <summary>The whole number in the report row named <paramref name="measure"/>.</summary>
    private static long Number(string text, string measure)
    {
        var match = Regex.Match(text, $@"│ {Regex.Escape(measure)}\s+│ ([\d,]+)");
        Assert.True(match.Success, $"The report has no '{measure}' row:\n{text}");
        return long.Parse(match.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
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
        var silo = await RecordingSilo.StartAsync();
        await using var gateway = await TestGateway.StartAsync(silo);
        // Five events 100 s apart at 1000x: each is due 100 ms after the one before (400 ms in all, 400 s at 1x).
        var start = DateTimeOffset.UtcNow.AddMinutes(-10);
        var events = Enumerable.Range(0, 5).Select(i => new Client.ShopperEvent { EventId = $"p{i}", UserId = "u", Type = Client.EventKind.View, Timestamp = start.AddSeconds(i * 100) }).ToArray();
        var log = new ReplayLog(events, 0, TimeSpan.Zero, new Data.IngestReport());

        var started = Stopwatch.GetTimestamp();
        var report = await ReplayRunner.RunAsync(log, new ReplayOptions { Target = gateway.Host.BaseAddress, Key = TestGateway.ServerKey, Speed = 1000 });
        var took = Stopwatch.GetElapsedTime(started);

        Assert.Equal(5, report.Accepted);
        // No event reaches the gateway before its scaled time (lower bounds: a slow machine only makes them later).
        var arrivals = silo.Arrivals;
        Assert.Equal(["p0", "p1", "p2", "p3", "p4"], arrivals.Select(a => a.Event.EventId));
        for (var i = 0; i < arrivals.Count; i++)
        {
            var at = Stopwatch.GetElapsedTime(started, arrivals[i].At);
            Assert.True(at >= TimeSpan.FromMilliseconds(100 * i - 1), $"event {i} reached the gateway {at.TotalMilliseconds:0} ms after the replay started, before its scaled time ({100 * i} ms)");
        }
        // The report's wall time is the run's (inside what the test measured, at least the last event's time); and the
        // speed-up was applied: a tenth of the unscaled 400 s is far beyond any slow-down of 400 ms of pacing.
        Assert.InRange(report.Elapsed, TimeSpan.FromMilliseconds(399), took);
        Assert.True(report.Elapsed < TimeSpan.FromSeconds(40), $"the replay took {report.Elapsed}; at 1000x it should take about 0.4 s");
    }

    [Fact]
    public async Task SimulateSendsLabelledSyntheticTrafficAndReportsLatency()
    {
        var silo = await RecordingSilo.StartAsync();
        await using var gateway = await TestGateway.StartAsync(silo);
        var (console, output) = TextConsole.Create();

        var started = Stopwatch.GetTimestamp();
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
        Assert.Matches(@"│ event → ack\s+│ p50 [\d.]+ ms", text);
        Assert.Matches(@"│ not accepted\s+│ 0 ", text);
        // What it says it sent is what reached the silo, all accepted, never more than the schedule (rate × duration).
        long sent = Number(text, "events sent");
        var arrivals = silo.Arrivals.Where(a => a.Event.EventId!.StartsWith("sim1-", StringComparison.Ordinal)).ToList();
        Assert.Equal(sent, arrivals.Count);
        Assert.Equal(sent, Number(text, "accepted"));
        Assert.InRange(sent, 500, 1_000);
        // Paced at the rate: event k goes out no earlier than k / rate after the start.
        foreach (var (e, at) in arrivals)
        {
            var k = int.Parse(e.EventId!["sim1-".Length..], CultureInfo.InvariantCulture);
            Assert.True(Stopwatch.GetElapsedTime(started, at) >= TimeSpan.FromSeconds(k / 500.0) - TimeSpan.FromMilliseconds(1), $"event {k} was sent before its time");
        }
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
