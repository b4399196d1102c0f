using MicroMoment.Evaluation;
using MicroMoment.Numerics;

namespace MicroMoment.Tests.Evaluation;

public class CalibrationTests
{
    [Fact]
    public void PlattRecoversTheParametersOfTheGeneratingSigmoid()
    {
        const double a = -1.5, b = 0.4;
        var rng = new SplitMix64(3);
        int n = 20_000;
        var logits = new float[n];
        var labels = new byte[n];
        for (int i = 0; i < n; i++)
        {
            logits[i] = (float)(2 * rng.NextGaussian());
            double p = 1 / (1 + Math.Exp((a * logits[i]) + b));
            labels[i] = rng.NextDouble() < p ? (byte)1 : (byte)0;
        }

        var platt = PlattCalibrator.Fit(logits, labels);
        Assert.Equal(a, platt.A, 0.08);
        Assert.Equal(b, platt.B, 0.08);
        Assert.Equal("platt", platt.Method);
    }

    [Fact]
    public void PlattRebuiltFromSavedParametersGivesIdenticalProbabilities()
    {
        var fitted = PlattCalibrator.Fit([-2f, -1f, 0f, 0.5f, 1f, 2f, 3f], [0, 0, 1, 0, 1, 1, 1]);
        var loaded = new PlattCalibrator(fitted.A, fitted.B);
        foreach (float s in new[] { -5f, -0.3f, 0f, 0.7f, 4f })
        {
            Assert.Equal(fitted.Apply(s), loaded.Apply(s));
        }

        Assert.Equal(1 / (1 + Math.Exp((fitted.A * 0.7) + fitted.B)), loaded.Apply(0.7f), 6);
    }

    [Fact]
    public void PlattStaysFiniteOnPerfectlySeparatedData()
    {
        var platt = PlattCalibrator.Fit([-3f, -2f, -1f, 1f, 2f, 3f], [0, 0, 0, 1, 1, 1]);
        Assert.True(double.IsFinite(platt.A) && double.IsFinite(platt.B));
        Assert.True(platt.A < 0, "A higher logit must mean a higher probability");
        Assert.True(platt.Apply(3f) < 1f && platt.Apply(3f) > 0.5f);
        Assert.Equal(1f, platt.Apply(1e30f)); // saturates, never NaN from inf/inf
        Assert.Equal(0f, platt.Apply(-1e30f));
    }

    [Fact]
    public void PlattRequiresBothClasses()
    {
        var ex = Assert.Throws<ArgumentException>(() => PlattCalibrator.Fit([0.1f, 0.2f], [1, 1]));
        Assert.Contains("both classes", ex.Message);
    }

    [Fact]
    public void IsotonicFitsAStep()
    {
        float[] scores = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        byte[] labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
        var iso = IsotonicCalibrator.Fit(scores, labels);
        Assert.Equal(0f, iso.Apply(2f));
        Assert.Equal(0f, iso.Apply(-100f));
        Assert.Equal(1f, iso.Apply(7f));
        Assert.Equal(1f, iso.Apply(100f));
        Assert.Equal(0.5f, iso.Apply(4.5f), 6);
        Assert.Equal([0f, 4f, 5f, 9f], iso.Thresholds);
        Assert.Equal([0f, 0f, 1f, 1f], iso.Values);
    }

    [Fact]
    public void IsotonicPoolsAdjacentViolators()
    {
        var iso = IsotonicCalibrator.Fit([1f, 2f, 3f], [1, 0, 1]);
        Assert.Equal([1f, 2f, 3f], iso.Thresholds);
        Assert.Equal([0.5f, 0.5f, 1f], iso.Values);
    }

    [Fact]
    public void IsotonicIsMonotoneOnNoisyData()
    {
        var (scores, labels) = CurveTests.NoisyScores(5_000, seed: 5);
        var iso = IsotonicCalibrator.Fit(scores, labels);
        float previous = -1;
        for (float s = -5; s <= 6; s += 0.01f)
        {
            float p = iso.Apply(s);
            Assert.InRange(p, 0f, 1f);
            Assert.True(p >= previous, $"Calibrated probability decreased at score {s}");
            previous = p;
        }

        Assert.Equal("isotonic", iso.Method);
    }

    [Fact]
    public void IsotonicRebuiltFromArraysGivesIdenticalProbabilities()
    {
        var (scores, labels) = CurveTests.NoisyScores(2_000, seed: 9);
        var fitted = IsotonicCalibrator.Fit(scores, labels);
        var loaded = new IsotonicCalibrator(fitted.Thresholds, fitted.Values);
        for (int i = 0; i < 200; i++)
        {
            Assert.Equal(fitted.Apply(scores[i]), loaded.Apply(scores[i]));
        }
    }

    [Fact]
    public void IsotonicConstructorRejectsDecreasingValues()
    {
        var ex = Assert.Throws<ArgumentException>(() => new IsotonicCalibrator([0f, 1f], [0.6f, 0.4f]));
        Assert.Contains("non-decreasing", ex.Message);
    }

    [Fact]
    public void CalibratorsAreUsableThroughTheCommonInterface()
    {
        IProbabilityCalibrator[] calibrators =
        [
            new PlattCalibrator(-1, 0),
            new IsotonicCalibrator([0f, 1f], [0.2f, 0.8f]),
        ];
        Assert.Equal(0.5f, calibrators[0].Apply(0f), 6);
        Assert.Equal(0.5f, calibrators[1].Apply(0.5f), 6);
    }

    [Fact]
    public void ApplyAllocatesNothing()
    {
        var platt = new PlattCalibrator(-1.2, 0.3);
        var iso = new IsotonicCalibrator([0f, 1f, 2f], [0.1f, 0.5f, 0.9f]);
        float sink = platt.Apply(0.1f) + iso.Apply(0.1f);
        Assert.Equal(0, SteadyStateAllocations.Measure(i => sink += platt.Apply(i * 0.01f) + iso.Apply(i * 0.002f), 1000));
        Assert.True(sink > 0);
    }
}
