using MicroMoment.Evaluation;
using MicroMoment.Numerics;

namespace MicroMoment.Tests.Evaluation;

public class CurveTests
{
    [Fact]
    public void RocCurveOfSmallCaseHasOneVertexPerThreshold()
    {
        var curve = BinaryMetrics.RocCurve([0.1f, 0.4f, 0.35f, 0.8f], [0, 0, 1, 1]);
        Assert.Equal([(0, 0), (0, 0.5), (0.5, 0.5), (0.5, 1), (1, 1)], curve.Select(p => (p.X, p.Y)));
        Assert.Equal(float.PositiveInfinity, curve[0].Threshold);
        Assert.Equal(0.8f, curve[1].Threshold);
    }

    [Fact]
    public void RocCurveDropsPointsLyingOnStraightRuns()
    {
        var curve = BinaryMetrics.RocCurve([0.9f, 0.8f, 0.7f, 0.6f, 0.5f, 0.4f], [1, 1, 1, 0, 0, 0]);
        Assert.Equal([(0, 0), (0, 1), (1, 1)], curve.Select(p => (p.X, p.Y)));
    }

    [Fact]
    public void ThinnedRocCurveKeepsAtMostThreeHundredPointsAndTheArea()
    {
        var (scores, labels) = NoisyScores(20_000, seed: 7);
        var curve = BinaryMetrics.RocCurve(scores, labels);
        Assert.InRange(curve.Length, 50, BinaryMetrics.DefaultMaxCurvePoints);
        Assert.Equal((0.0, 0.0), (curve[0].X, curve[0].Y));
        Assert.Equal((1.0, 1.0), (curve[^1].X, curve[^1].Y));
        for (int i = 1; i < curve.Length; i++)
        {
            Assert.True(curve[i].X >= curve[i - 1].X && curve[i].Y >= curve[i - 1].Y, "ROC points must be monotone");
        }

        double trapezoid = 0;
        for (int i = 1; i < curve.Length; i++)
        {
            trapezoid += (curve[i].X - curve[i - 1].X) * (curve[i].Y + curve[i - 1].Y) / 2;
        }

        Assert.Equal(BinaryMetrics.RocAuc(scores, labels), trapezoid, 3);
    }

    [Fact]
    public void ThinnedCurveStaysCloseToTheFullCurveEverywhere()
    {
        var (scores, labels) = NoisyScores(20_000, seed: 11);
        var full = BinaryMetrics.RocCurve(scores, labels, maxPoints: int.MaxValue);
        var thin = BinaryMetrics.RocCurve(scores, labels, maxPoints: 100);
        Assert.True(full.Length > 1000);
        Assert.True(thin.Length <= 100);
        foreach (var p in full)
        {
            Assert.True(Math.Abs(Interpolate(thin, p.X) - p.Y) < 0.02, $"Thinned curve strays at FPR {p.X}");
        }
    }

    [Fact]
    public void RocCurveIsEmptyWhenOneClassIsAbsent()
    {
        Assert.Empty(BinaryMetrics.RocCurve([0.1f, 0.2f], [1, 1]));
    }

    [Fact]
    public void PrCurveStartsAtFullPrecisionAndFollowsThresholds()
    {
        var curve = BinaryMetrics.PrCurve([0.9f, 0.8f, 0.7f, 0.6f], [1, 0, 1, 0]);
        var expected = new (double, double)[] { (0, 1), (0.5, 1), (0.5, 0.5), (1, 2.0 / 3.0), (1, 0.5) };
        Assert.Equal(expected.Length, curve.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Item1, curve[i].X, 12);
            Assert.Equal(expected[i].Item2, curve[i].Y, 12);
        }
    }

    [Fact]
    public void CurvesRejectFewerThanTwoPoints()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BinaryMetrics.RocCurve([0.1f, 0.2f], [0, 1], maxPoints: 1));
    }

    internal static (float[] Scores, byte[] Labels) NoisyScores(int n, ulong seed)
    {
        var rng = new SplitMix64(seed);
        var scores = new float[n];
        var labels = new byte[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = rng.NextDouble() < 0.3 ? (byte)1 : (byte)0;
            scores[i] = (float)(rng.NextGaussian() + (labels[i] == 1 ? 1.2 : 0));
        }

        return (scores, labels);
    }

    private static double Interpolate(CurvePoint[] curve, double x)
    {
        // Largest Y at this X (vertical segments) to compare with a step curve fairly from above and below.
        double best = double.NaN;
        for (int i = 1; i < curve.Length; i++)
        {
            var a = curve[i - 1];
            var b = curve[i];
            if (x >= a.X && x <= b.X)
            {
                double y = b.X == a.X ? b.Y : a.Y + ((x - a.X) / (b.X - a.X) * (b.Y - a.Y));
                best = double.IsNaN(best) ? y : Math.Max(best, y);
            }
        }

        return best;
    }
}
