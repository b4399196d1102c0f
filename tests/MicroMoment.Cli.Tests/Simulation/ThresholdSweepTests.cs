using MicroMoment.Cli.Simulation;
using MicroMoment.Scoring;
using MicroMoment.Silo.Triggers;

namespace MicroMoment.Cli.Tests.Simulation;

public sealed class ThresholdSweepTests
{
    private static readonly string[] Clusters = ["browsers", "buyers"];
    private static readonly Intent[] Intents = [Intent.Buy, Intent.Exit];

    [Fact]
    public void CandidatesAreExactFloatsAndEverySignalFindsTheHighestCandidateItReaches()
    {
        Assert.Equal(100, ThresholdSweep.Candidates.Length);
        Assert.Equal(0.01f, ThresholdSweep.Candidates[0]);
        Assert.Equal(1f, ThresholdSweep.Candidates[^1]);
        Assert.Equal(-1, ThresholdSweep.Highest(0.0099f));
        Assert.Equal(0, ThresholdSweep.Highest(0.01f));
        Assert.Equal(29, ThresholdSweep.Highest(0.3f));
        Assert.Equal(28, ThresholdSweep.Highest(BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(0.3f) - 1)));
        Assert.Equal(99, ThresholdSweep.Highest(1f));
        for (int i = 0; i < 10_000; i++)
        {
            float s = i / 9_999f;
            int k = ThresholdSweep.Highest(s);
            Assert.True(k < 0 || s >= ThresholdSweep.Candidates[k]);
            Assert.True(k + 1 >= ThresholdSweep.Candidates.Length || s < ThresholdSweep.Candidates[k + 1]);
        }
    }

    [Fact]
    public void TheRecommendationIsWhatABruteForceCountGivesAndNoSingleThresholdChangeBeatsIt()
    {
        var (trace, purchased) = RandomTrace(seed: 11, sessions: 600);
        var cost = new CostModel(30, 1, 0.1, 0.3);
        float[][] start = [[0.5f, 0.5f], [0.5f, 0.5f]];

        var result = ThresholdSweep.Run(trace, purchased, Intents, start, Clusters, cost);

        float[][] theta = [[result.Recommended(Intent.Buy, 0)!.Value, result.Recommended(Intent.Buy, 1)!.Value], [result.Recommended(Intent.Exit, 0)!.Value, result.Recommended(Intent.Exit, 1)!.Value]];
        var (triggered, covered) = BruteForce(trace, purchased, theta);
        Assert.Equal(triggered, result.RecommendedTriggered);
        Assert.Equal(covered, result.RecommendedCovered);
        Assert.Equal(cost.ValueOf(covered, triggered - covered), result.RecommendedValue, 1e-9);
        var (t0, c0) = BruteForce(trace, purchased, start);
        Assert.Equal(cost.ValueOf(c0, t0 - c0), result.CurrentValue, 1e-9);
        Assert.True(result.RecommendedValue > result.CurrentValue, $"the sweep should improve on 0.5 everywhere: {result.CurrentValue} -> {result.RecommendedValue}");

        foreach (var c in result.Coordinates)
        {
            int i = Array.IndexOf(Intents, c.Intent);
            for (int k = 0; k < ThresholdSweep.Candidates.Length; k += 7)
            {
                var moved = theta.Select(a => (float[])a.Clone()).ToArray();
                moved[i][c.Cluster] = ThresholdSweep.Candidates[k];
                var (t, cv) = BruteForce(trace, purchased, moved);
                Assert.Equal(t, c.Curve.Triggered[k]);
                Assert.Equal(cv, c.Curve.Covered[k]);
                Assert.True(cost.ValueOf(cv, t - cv) <= result.RecommendedValue + 1e-9, $"{c.Intent}/{c.ClusterName} at {ThresholdSweep.Candidates[k]} beats the recommendation");
            }
        }
    }

    [Fact]
    public void WhenOffersCannotPayTheThresholdsRiseUntilNothingFiresAndAClusterWithoutEventsKeepsItsThreshold()
    {
        var trace = new SweepTrace();
        trace.Add(0, 0.9f, 0.1f, 0);
        trace.Add(1, 0.8f, 0.2f, 0);
        // The redeemed offer costs more than the purchase share it causes.
        var cost = new CostModel(Margin: 10, OfferCost: 5, Uplift: 0.1, Annoyance: 0.1);

        var result = ThresholdSweep.Run(trace, [true, false], Intents, [[0.3f, 0.4f], [0.3f, 0.4f]], Clusters, cost);

        Assert.Equal(1f, result.Recommended(Intent.Buy, 0));
        // No exit signal reaches 0.3, so raising it changes nothing and the input's threshold stays.
        Assert.Equal(0.3f, result.Recommended(Intent.Exit, 0));
        Assert.True(result.Coordinates.Single(c => c.Intent == Intent.Buy && c.Cluster == 1).NoData);
        Assert.Equal(0.4f, result.Recommended(Intent.Buy, 1));
        Assert.Equal(0, result.RecommendedTriggered);
    }

    [Fact]
    public void TheCostModelStatesItsBreakEvenAndRefusesUnusableValues()
    {
        var cost = new CostModel(30, 1, 0.1, 0.1);
        Assert.Equal((0.1 / 1.1 * 30) - 1, cost.BuyerValue, 12);
        Assert.Equal(-0.1, cost.NonBuyerValue);
        Assert.Null(cost.Validate());
        Assert.Contains("--margin -1", new CostModel(-1, 1, 0.1, 0.1).Validate());
        Assert.Contains("--offer-cost NaN", new CostModel(1, double.NaN, 0.1, 0.1).Validate());
        Assert.Contains("--annoyance -2", new CostModel(1, 1, 0.1, -2).Validate());
        Assert.Contains("precision exceeds 5.5%", cost.Describe().Replace(" %", "%"));
    }

    [Fact]
    public void TheRecommendedPolicyKeepsEveryOtherSettingLoadsAndCarriesANewVersionInYamlAndJson()
    {
        var (trace, purchased) = RandomTrace(seed: 5, sessions: 300);
        var sweep = ThresholdSweep.Run(trace, purchased, Intents, [[0.5f, 0.5f], [0.5f, 0.5f]], Clusters, new CostModel(30, 1, 0.1, 0.3));
        var binding = new PolicyBinding(Clusters, 0.5f, 0.5f);
        const string yaml = """
            # comment
            version: shop-7
            maxOffersPerSession: 2
            rules:
              - name: cart
                intent: buy
                offer: discount
                cart: required
                thresholds: { default: 0.6 }
                confirmation: { k: 2, n: 3 }
              - name: leave
                intent: exit
                offer: popup
                thresholds: { default: model, clusters: { buyers: 0.7 } }
            """;

        var written = RecommendedPolicy.Write(yaml, json: false, sweep, "from a test\nsecond line");
        var policy = PolicyLoader.Parse(written, "recommended.yaml", binding);

        Assert.StartsWith("# from a test\n# second line\n", written);
        Assert.Equal("shop-7-recommended", policy.Version);
        Assert.Equal(2, policy.MaxOffersPerSession);
        Assert.Equal(0.6f, policy.Rules[0].DefaultThreshold);
        Assert.Equal(CartCondition.Required, policy.Rules[0].Cart);
        for (int c = 0; c < Clusters.Length; c++)
        {
            Assert.Equal(sweep.Recommended(Intent.Buy, c), policy.Threshold(0, c));
            Assert.Equal(sweep.Recommended(Intent.Exit, c), policy.Threshold(1, c));
        }

        var json = RecommendedPolicy.Write("""{ "version": "j1", "rules": [ { "name": "b", "intent": "buy", "offer": "popup", "thresholds": { "default": "model" } } ] }""", json: true, sweep, "ignored");
        var fromJson = PolicyLoader.Parse(json, "recommended.json", binding, json: true);
        Assert.Equal("j1-recommended", fromJson.Version);
        Assert.Equal(sweep.Recommended(Intent.Buy, 1), fromJson.Threshold(0, 1));
    }

    private static (SweepTrace Trace, bool[] Purchased) RandomTrace(int seed, int sessions)
    {
        var random = new Random(seed);
        var trace = new SweepTrace();
        var purchased = new bool[sessions];
        for (int s = 0; s < sessions; s++)
        {
            // Buyers score higher on the buy signal, so some threshold separates them better than 0.5.
            purchased[s] = random.NextDouble() < 0.2;
            int events = 1 + random.Next(6);
            for (int e = 0; e < events; e++)
            {
                float buy = (float)Math.Clamp((purchased[s] ? 0.55 : 0.25) + (0.2 * (random.NextDouble() - 0.5) * 2), 0, 1);
                float exit = (float)random.NextDouble();
                trace.Add(s, buy, exit, random.Next(2));
            }
        }
        return (trace, purchased);
    }

    private static (int Triggered, int Covered) BruteForce(SweepTrace trace, bool[] purchased, float[][] theta)
    {
        var hit = new bool[purchased.Length];
        for (int j = 0; j < trace.Count; j++)
        {
            for (int i = 0; i < Intents.Length; i++)
            {
                if (Policy.Signal(Intents[i], trace.Buy[j], trace.Exit[j]) >= theta[i][trace.Cluster[j]]) hit[trace.Session[j]] = true;
            }
        }
        int triggered = hit.Count(h => h);
        int covered = Enumerable.Range(0, hit.Length).Count(s => hit[s] && purchased[s]);
        return (triggered, covered);
    }
}
