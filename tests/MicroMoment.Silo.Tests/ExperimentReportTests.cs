using MicroMoment.Events;
using MicroMoment.Silo.Triggers;
using static MicroMoment.Silo.Tests.SiloTestData;

namespace MicroMoment.Silo.Tests;

public class ExperimentReportTests
{
    private const string Policy = """
        version: x1
        maxOffersPerSession: 100
        attributionWindow: 30m
        rules:
          - { name: always, intent: buy, offer: recommendation, thresholds: { default: 0.000001 } }
        experiments:
          - { name: nudge, holdout: 0.3, variants: [ { name: on } ] }
        """;

    [Fact]
    public async Task SiloReportCountsExposuresAndConversionsPerArmAndKeepsThemAcrossARestart()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "policy.yaml");
        File.WriteAllText(path, Policy);
        var options = new SiloOptions { PolicyPath = path, DataDirectory = Path.Combine(dir.Path, "state") };
        var experiment = PolicyLoader.LoadFile(path, new PolicyBinding(["x"], 0.5f, 0.5f)).Experiments[0];

        var users = Enumerable.Range(0, 60).Select(i => "shopper-" + i).ToArray();
        var expected = new Dictionary<string, (long Exposures, long Conversions)> { ["holdout"] = (0, 0), ["on"] = (0, 0) };
        var events = new List<ClickEvent>();
        for (int i = 0; i < users.Length; i++)
        {
            string arm = ExperimentAssigner.Assign(experiment, ClickEvent.DefaultTenant, users[i]) == ExperimentAssigner.Holdout ? "holdout" : "on";
            bool buys = i % 3 == 0;
            events.Add(Event(users[i], 0));
            if (buys) events.Add(Event(users[i], 1, EventType.Purchase));
            var (x, c) = expected[arm];
            expected[arm] = (x + 1, c + (buys ? 1 : 0));
        }

        Assert.All(expected.Values, v => Assert.True(v.Exposures > 0)); // both arms are populated by this user set

        await using (var silo = await EmbeddedSilo.StartAsync(BundledModel, options))
        {
            await silo.IngestAsync(events);
            var report = await silo.GetExperimentsAsync();
            AssertMatches(report, expected);
            var on = report.Find("nudge")!.Variants.Single(v => v.Name == "on");
            Assert.Equal(on.Exposures + on.Conversions, on.Proposals); // every event fires in the variant arm (views and purchases)
            Assert.Equal(0, report.Find("nudge")!.Variants.Single(v => v.IsHoldout).Proposals);
        }

        await using (var restarted = await EmbeddedSilo.StartAsync(BundledModel, options))
        {
            AssertMatches(await restarted.GetExperimentsAsync(), expected);
        }
    }

    private static void AssertMatches(ExperimentsReport report, Dictionary<string, (long Exposures, long Conversions)> expected)
    {
        var e = Assert.Single(report.Experiments);
        Assert.Equal("nudge", e.Name);
        Assert.Equal(0.3, e.Holdout);
        foreach (var v in e.Variants)
        {
            var (x, c) = expected[v.Name];
            Assert.Equal(x, v.Exposures);
            Assert.Equal(c, v.Conversions);
            Assert.Equal((double)c / x, v.ConversionRate!.Value, 12);
            Assert.Equal(ExperimentStatistics.Wilson(c, x), (v.RateLow, v.RateHigh));
        }

        var (hx, hc) = expected["holdout"];
        var (ox, oc) = expected["on"];
        var lift = e.Variants.Single(v => v.Name == "on").Lift!;
        var msprt = ExperimentStatistics.Msprt(oc, ox, hc, hx, ExperimentReporter.Tau2, ExperimentReporter.Alpha);
        Assert.Equal(msprt.PValue, lift.PValue);
        Assert.Equal(msprt.Difference, lift.Difference!.Value, 12);
    }
}
