using MicroMoment.Silo.Triggers;

namespace MicroMoment.Silo.Tests.Triggers;

public class PolicyLoaderTests
{
    [Theory]
    [InlineData("  - { name: b, intent: want, offer: popup, thresholds: { default: 0.5 } }", "rules[0].intent")]
    [InlineData("  - { name: b, intent: buy, offer: popup, thresholds: { default: 1.5 } }", "rules[0].thresholds.default")]
    [InlineData("  - { name: b, intent: buy, offer: popup, thresholds: { default: 0.5, clusters: { nosuch: 0.5 } } }", "rules[0].thresholds.clusters.nosuch")]
    [InlineData("  - { name: b, intent: buy, offer: popup, thresholds: { default: 0.5 }, confirmation: { k: 4, n: 3 } }", "rules[0].confirmation.k")]
    [InlineData("  - { name: b, intent: buy, offer: popup, thresholds: { default: 0.5 }, debounce: soon }", "rules[0].debounce")]
    [InlineData("  - { name: b, intent: buy, offer: popup, thresholds: { default: 0.5 }, colour: red }", "rules[0].colour")]
    [InlineData("  - { name: b, intent: buy, offer: popup }", "rules[0].thresholds")]
    [InlineData("  - { name: b, intent: buy, offer: popup, thresholds: { default: 0.5 }, consent: \"e-mail marketing\" }", "rules[0].consent")]
    [InlineData("  - { name: b, intent: buy, offer: popup, thresholds: { default: 0.5 }, consent: a-very-long-category-name-beyond-32 }", "rules[0].consent")]
    [InlineData("  - { name: b, intent: buy, offer: popup, thresholds: { default: 0.5 }, consent: [offers] }", "rules[0].consent")]
    public void BadFieldsAreReportedWithTheirPath(string rules, string field)
    {
        var ex = Assert.Throws<PolicyException>(() => RuleEvaluatorTests.Yaml(rules));
        Assert.Equal(field, ex.Field);
        Assert.Contains("test.yaml", ex.Message);
        Assert.Contains("expected", ex.Message);
    }

    [Fact]
    public void ConsentNamesACategoryOrNoneAndDefaultsToOffers()
    {
        var p = RuleEvaluatorTests.Yaml(
            "  - { name: a, intent: buy, offer: popup, thresholds: { default: 0.5 } }\n" +
            "  - { name: b, intent: buy, offer: popup, thresholds: { default: 0.5 }, consent: Marketing }\n" +
            "  - { name: c, intent: buy, offer: assist, thresholds: { default: 0.5 }, consent: none }\n" +
            "  - { name: d, intent: buy, offer: popup, thresholds: { default: 0.5 }, consent: offers }");
        Assert.Equal(["offers", "marketing", null, "offers"], p.Rules.Select(r => r.Consent));
        var ex = Assert.Throws<PolicyException>(() => RuleEvaluatorTests.Yaml("  - { name: b, intent: buy, offer: popup, thresholds: { default: 0.5 }, consent: \"news letter\" }"));
        Assert.Contains("rules[0].consent", ex.Message);
        Assert.Contains("'news letter'", ex.Message);
        Assert.Contains("expected none or a consent category", ex.Message);
    }

    [Fact]
    public void JsonPoliciesCompileLikeYaml()
    {
        var p = PolicyLoader.Parse("""{"version":"j1","rules":[{"name":"x","intent":"exit","offer":"popup","thresholds":{"default":0.25}}]}""", "p.json", RuleEvaluatorTests.Binding, json: true);
        Assert.Equal("j1", p.Version);
        Assert.Equal(0.25f, p.Threshold(0, 1));
    }

    [Fact]
    public void ShippedDefaultPolicyLoadsWithModelThresholds()
    {
        var p = PolicyLoader.LoadFile(Path.Combine(MicroMoment.Testing.RepositoryLayout.Root, "policies", "default.yaml"), RuleEvaluatorTests.Binding);
        Assert.Equal("default-2", p.Version);
        var experiment = Assert.Single(p.Experiments);
        Assert.Equal(("offers-vs-holdout", 0.1, "offers"), (experiment.Name, experiment.Holdout, Assert.Single(experiment.Variants).Name));
        Assert.Equal(["buy-intent-cart", "buy-intent", "exit-risk"], p.Rules.Select(r => r.Name));
        Assert.Equal(0.5f, p.Threshold(0, 0));
        Assert.Equal(TimeSpan.FromMinutes(5), p.Rules[0].Cooldown);
    }

    [Fact]
    public void BucketingIsStableAndMatchesTheConfiguredShares()
    {
        var e = new PolicyExperiment("exp", 0.05, [new ExperimentVariant("a", 1, null), new ExperimentVariant("b", 3, null)], null);
        var counts = new int[3];
        for (int u = 0; u < 100_000; u++) counts[ExperimentAssigner.Assign(e, "t", "user-" + u) + 1]++;
        Assert.InRange(counts[0] / 100_000.0, 0.04, 0.06);
        Assert.InRange(counts[1] / 100_000.0, 0.2275, 0.2475);
        Assert.InRange(counts[2] / 100_000.0, 0.7025, 0.7225);
        Assert.Equal(ExperimentAssigner.Assign(e, "t", "user-42"), ExperimentAssigner.Assign(e, "t", "user-42"));
        Assert.Equal(0.344701163, ExperimentAssigner.Draw("exp", "t", "user-42"), 1e-9); // pinned: must not change across processes or releases
    }
}
