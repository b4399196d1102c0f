using MicroMoment.Evaluation;
using MicroMoment.Training;

namespace MicroMoment.Gbdt.Tests;

public class LightGbmPeerTests
{
    private static readonly string[] Names = ["a", "b", "noise"];

    /// <summary>Rows whose label is an interaction no linear model can express: a XOR b (thresholds at 0.5), with
    /// <paramref name="flip"/> of the labels flipped at random.</summary>
    private static PrefixRows Xor(int n, ulong seed, double flip = 0.05)
    {
        var rng = new Random((int)seed);
        var x = new float[n * Names.Length];
        var y = new byte[n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < Names.Length; j++) x[i * Names.Length + j] = (float)rng.NextDouble();
            var label = (x[i * Names.Length] > 0.5f) ^ (x[i * Names.Length + 1] > 0.5f);
            y[i] = (byte)(label ^ (rng.NextDouble() < flip) ? 1 : 0);
        }
        return PrefixRows.FromMatrix(x, y, Names);
    }

    private static float[] Scores(IPrefixClassifier model, PrefixRows rows)
    {
        var scores = new float[rows.Count];
        model.Score(rows, scores);
        return scores;
    }

    [Fact]
    public void TreesLearnAnInteractionThatLogisticRegressionCannot()
    {
        var train = Xor(3_000, 1);
        var validation = Xor(1_000, 2);
        var test = Xor(2_000, 3);

        var trees = new LightGbmPeer().Fit(train, validation, 7);
        var linear = new LogisticRegressionPeer().Fit(train, null, 7);

        Assert.True(BinaryMetrics.RocAuc(Scores(trees, test), test.Labels()) > 0.9);
        Assert.InRange(BinaryMetrics.RocAuc(Scores(linear, test), test.Labels()), 0.4, 0.6);
    }

    [Fact]
    public void TheSameSeedGivesTheSameScoresOnOneOrTwoThreads()
    {
        var train = Xor(1_000, 4, flip: 0.2);
        var validation = Xor(300, 5, flip: 0.2);
        var test = Xor(300, 6);
        LightGbmPeer Peer(int threads) => new(new LightGbmPeerOptions { Threads = threads, MaxIterations = 40 });

        var one = Scores(Peer(1).Fit(train, validation, 11), test);
        var again = Scores(Peer(1).Fit(train, validation, 11), test);
        var two = Scores(Peer(2).Fit(train, validation, 11), test);
        var otherData = Scores(Peer(1).Fit(Xor(1_000, 40, flip: 0.2), validation, 11), test);

        Assert.Equal(one, again);
        Assert.Equal(one, two);
        Assert.NotEqual(one, otherData);
    }

    [Fact]
    public void EarlyStoppingOnTheValidationRowsEndsBeforeTheCapAndWithoutThemAFixedNumberOfRoundsIsTrained()
    {
        // Labels flipped 40% of the time: the signal is learnt in few rounds, after which the trees fit noise and the
        // validation log loss stops improving.
        var train = Xor(2_000, 8, flip: 0.4);
        var validation = Xor(1_000, 9, flip: 0.4);
        var options = new LightGbmPeerOptions { MaxIterations = 500, EarlyStoppingRounds = 20, IterationsWithoutValidation = 30 };

        var stopped = new LightGbmPeer(options).Fit(train, validation, 3);
        var fixedRounds = new LightGbmPeer(options).Fit(train, null, 3);

        var trees = int.Parse(stopped.Description.Split(", ")[1].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(trees, 1, 499);
        Assert.Contains("early-stopped on the validation log loss", stopped.Description);
        Assert.StartsWith("LightGBM, 30 trees", fixedRounds.Description);
        Assert.Contains("without early stopping", fixedRounds.Description);
    }

    [Fact]
    public void RowsWithOneClassAreRefusedWithTheCounts()
    {
        var rows = PrefixRows.FromMatrix(new float[6], [0, 0], Names);
        var ex = Assert.Throws<ArgumentException>(() => new LightGbmPeer().Fit(rows, null, 1));
        Assert.Contains("got 0 positives of 2", ex.Message);
    }

    [Fact]
    public void InvalidOptionsAreNamed()
    {
        var ex = Assert.Throws<ArgumentException>(() => new LightGbmPeer(new LightGbmPeerOptions { LearningRate = 0 }).Fit(Xor(100, 1), null, 1));
        Assert.Contains("LearningRate", ex.Message);
    }
}
