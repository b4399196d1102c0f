using MicroMoment.Clustering;

namespace MicroMoment.Tests.Clustering;

public class KSelectionTests
{
    [Fact]
    public void PicksThreeOnThreeClearBlobs()
    {
        float[] data = Blobs.Make(Blobs.ThreeCentres, 150, 0.8, seed: 21, out _);
        var result = KSelection.Sweep(data, 4, kMin: 2, kMax: 8, seed: 7);
        Assert.Equal(3, result.ChosenK);
        Assert.Equal(3, result.Model.K);
        Assert.Equal(3, result.ElbowK);
        Assert.Equal(Enumerable.Range(2, 7), result.Points.Select(p => p.K));
        Assert.Equal(result.Points.Max(p => p.Silhouette), result.Chosen.Silhouette);
        Assert.True(result.Points[0].Inertia > result.Points[1].Inertia);
        Assert.Contains("silhouette", result.Rule);
    }

    [Fact]
    public void SweepIsDeterministicForASeed()
    {
        float[] data = Blobs.Make([[0f, 0f], [3f, 3f], [6f, 0f], [3f, -3f]], 100, 1.2, seed: 4, out _);
        var a = KSelection.Sweep(data, 2, 2, 6, seed: 5, degreeOfParallelism: 1);
        var b = KSelection.Sweep(data, 2, 2, 6, seed: 5, degreeOfParallelism: 2);
        Assert.Equal(a.Points, b.Points);
        Assert.Equal(a.ChosenK, b.ChosenK);
    }

    [Fact]
    public void ElbowScoresPeakWhereTheInertiaCurveBends()
    {
        double[] scores = KSelection.ElbowScores([100.0, 20.0, 15.0, 12.0, 10.0]);
        Assert.Equal(1, Array.IndexOf(scores, scores.Max()));
        Assert.Equal(0, scores[0]);
        Assert.All(KSelection.ElbowScores([5.0, 4.0]), s => Assert.Equal(0, s));
    }

    [Fact]
    public void AnEmptyOrInvalidRangeIsRejected()
    {
        float[] data = Blobs.Make(Blobs.ThreeCentres, 5, 0.5, seed: 1, out _);
        Assert.Throws<ArgumentOutOfRangeException>(() => KSelection.Sweep(data, 4, kMin: 1, kMax: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => KSelection.Sweep(data, 4, kMin: 4, kMax: 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => KSelection.Sweep(data, 4, kMin: 2, kMax: 16));
    }
}
