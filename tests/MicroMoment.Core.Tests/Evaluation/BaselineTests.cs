using MicroMoment.Evaluation;
using MicroMoment.Numerics;

namespace MicroMoment.Tests.Evaluation;

public class BaselineTests
{
    [Fact]
    public void LogisticRegressionRecoversKnownCoefficients()
    {
        float[] trueWeights = [1.5f, -2f, 0.5f];
        const float trueBias = -63.8f; // puts the centre of the data at logit −0.3
        var (x, labels) = Generate(trueWeights, trueBias, n: 20_000, seed: 21, offsets: [5f, -3f, 100f], scales: [1f, 2f, 0.5f]);
        var model = LogisticRegression.Fit(x, 3, labels, new LogisticRegressionOptions { L2 = 1e-8 });
        Assert.True(model.Converged);
        var w = model.Weights;
        for (int j = 0; j < 3; j++)
        {
            Assert.Equal(trueWeights[j], w[j], 0.12);
        }

        // The bias absorbs the feature offsets; check it through the centre of the data instead of directly.
        Assert.Equal(
            Sigmoid(trueBias + (1.5 * 5) + (-2 * -3) + (0.5 * 100)),
            model.PredictProbability([5f, -3f, 100f]),
            0.03);
    }

    [Fact]
    public void LogisticRegressionMatchesHandComputationOnTwoPoints()
    {
        // x = {0, 1}, y = {0, 1}, λ = 1. Standardised z = ∓1 and by symmetry the bias is 0, so the objective is
        // ln(1 + e^−β) + β²/2 with optimum β = 1 − σ(β). In raw units w = β / 0.5 and b = −β.
        double lo = 0, hi = 1;
        for (int i = 0; i < 200; i++)
        {
            double mid = (lo + hi) / 2;
            if (mid - (1 - Sigmoid(mid)) > 0) hi = mid; else lo = mid;
        }

        double beta = (lo + hi) / 2;
        var model = LogisticRegression.Fit([0f, 1f], 1, [0, 1], new LogisticRegressionOptions { L2 = 1 });
        Assert.True(model.Converged);
        Assert.Equal(2 * beta, model.Weights[0], 5);
        Assert.Equal(-beta, model.Bias, 5);
        Assert.Equal(Sigmoid(beta), model.PredictProbability([1f]), 5);
        Assert.Equal(0.4013, beta, 3);
    }

    [Fact]
    public void ClassBalancingRaisesProbabilitiesOfARareClass()
    {
        var (x, labels) = Generate([1f], -3f, n: 5_000, seed: 4, offsets: [0f], scales: [1f]);
        var plain = LogisticRegression.Fit(x, 1, labels);
        var balanced = LogisticRegression.Fit(x, 1, labels, new LogisticRegressionOptions { BalanceClasses = true });
        double plainMean = 0, balancedMean = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            plainMean += plain.PredictProbability(x.AsSpan(i, 1));
            balancedMean += balanced.PredictProbability(x.AsSpan(i, 1));
        }

        Assert.InRange(plainMean / labels.Length, 0.03, 0.12);
        Assert.InRange(balancedMean / labels.Length, 0.35, 0.65);
    }

    [Fact]
    public void ConstantFeatureGetsZeroWeightAndFittingIsDeterministic()
    {
        var (x1, labels) = Generate([2f], 0f, n: 1_000, seed: 8, offsets: [0f], scales: [1f]);
        var x = new float[labels.Length * 2];
        for (int i = 0; i < labels.Length; i++)
        {
            x[2 * i] = x1[i];
            x[(2 * i) + 1] = 7f;
        }

        var first = LogisticRegression.Fit(x, 2, labels);
        var second = LogisticRegression.Fit(x, 2, labels);
        Assert.Equal(0f, first.Weights[1], 6);
        Assert.Equal(first.Weights, second.Weights);
        Assert.Equal(first.Bias, second.Bias);
    }

    [Fact]
    public void LogisticRegressionRejectsAMatrixOfTheWrongSize()
    {
        var ex = Assert.Throws<ArgumentException>(() => LogisticRegression.Fit([1f, 2f, 3f], 2, [0, 1]));
        Assert.Contains("n×d", ex.Message);
    }

    [Fact]
    public void PredictingRejectsARowOfTheWrongWidth()
    {
        var model = new LogisticRegression([1f, 2f], 0f);
        Assert.Throws<ArgumentException>(() => model.PredictProbability([1f]));
    }

    [Fact]
    public void PredictionAllocatesNothing()
    {
        var model = new LogisticRegression([1f, -2f, 0.5f], 0.1f);
        float[] row = [0.3f, 0.2f, -1f];
        float sink = model.PredictProbability(row);
        Assert.Equal(0, SteadyStateAllocations.Measure(_ => sink += model.PredictProbability(row), 1000));
        Assert.True(sink > 0);
    }

    [Fact]
    public void MajorityBaselinePredictsThePrevalenceAndHasAucOneHalf()
    {
        var baseline = MajorityClassBaseline.Fit([1, 0, 0, 0]);
        Assert.Equal(0.25, baseline.Prevalence, 12);
        Assert.Equal(0, baseline.MajorityClass);
        var predictions = new float[6];
        baseline.Predict(predictions);
        Assert.All(predictions, p => Assert.Equal(0.25f, p));
        Assert.Equal(0.5, BinaryMetrics.RocAuc(predictions, [1, 0, 1, 0, 0, 1]), 12);
    }

    [Fact]
    public void MajorityBaselineNeedsLabels()
    {
        Assert.Throws<ArgumentException>(() => MajorityClassBaseline.Fit([]));
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    private static (float[] X, byte[] Labels) Generate(float[] weights, float bias, int n, ulong seed, float[] offsets, float[] scales)
    {
        var rng = new SplitMix64(seed);
        int d = weights.Length;
        var x = new float[n * d];
        var labels = new byte[n];
        for (int i = 0; i < n; i++)
        {
            double z = bias;
            for (int j = 0; j < d; j++)
            {
                float v = offsets[j] + (scales[j] * (float)rng.NextGaussian());
                x[(i * d) + j] = v;
                z += weights[j] * v;
            }

            labels[i] = rng.NextDouble() < Sigmoid(z) ? (byte)1 : (byte)0;
        }

        return (x, labels);
    }
}
