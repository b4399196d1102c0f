using MicroMoment.Clustering;

namespace MicroMoment.Tests.Clustering;

public class SilhouetteTests
{
    [Fact]
    public void MatchesAHandComputedValueOnFourPoints()
    {
        // Clusters {0, 1} and {10, 11} on a line. Point 0: a = 1, b = (10 + 11) / 2; point 1: a = 1, b = (9 + 10) / 2;
        // the other cluster mirrors them.
        double expected = (9.5 / 10.5 + 8.5 / 9.5) / 2;
        double score = Silhouette.Score([0f, 1f, 10f, 11f], 1, [0, 0, 1, 1]);
        Assert.Equal(expected, score, 12);
    }

    [Fact]
    public void APointAloneInItsClusterScoresZero()
    {
        // {0} alone; {5, 6}: point 5 has a = 1, b = 5; point 6 has a = 1, b = 6.
        double expected = (0 + 0.8 + 5.0 / 6.0) / 3;
        Assert.Equal(expected, Silhouette.Score([0f, 5f, 6f], 1, [0, 1, 1]), 12);
    }

    [Fact]
    public void ASingleClusterScoresZero()
    {
        Assert.Equal(0, Silhouette.Score([0f, 1f, 2f], 1, [0, 0, 0]));
    }

    [Fact]
    public void BadClusteringsScoreBelowGoodOnes()
    {
        float[] data = Blobs.Make([[0f, 0f], [10f, 0f]], 50, 0.5, seed: 2, out int[] truth);
        int[] swapped = truth.Select((t, i) => i % 2 == 0 ? t : 1 - t).ToArray();
        double good = Silhouette.Score(data, 2, truth);
        double bad = Silhouette.Score(data, 2, swapped);
        Assert.True(good > 0.8, $"good = {good}");
        Assert.True(bad < 0.1, $"bad = {bad}");
    }

    [Fact]
    public void TheSampleIsDeterministicAndBoundedBySampleSize()
    {
        float[] data = Blobs.Make([[0f, 0f], [4f, 0f], [0f, 4f]], 400, 1.5, seed: 8, out int[] truth);
        double a = Silhouette.Score(data, 2, truth, sampleSize: 100, seed: 5);
        double b = Silhouette.Score(data, 2, truth, sampleSize: 100, seed: 5, degreeOfParallelism: 2);
        double c = Silhouette.Score(data, 2, truth, sampleSize: 100, seed: 6);
        double full = Silhouette.Score(data, 2, truth, sampleSize: 1200);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.InRange(a, full - 0.1, full + 0.1);

        int[] sample = Silhouette.SampleIndices(1000, 50, 3);
        Assert.Equal(50, sample.Distinct().Count());
        Assert.Equal(sample.Order(), sample);
    }

    [Fact]
    public void MismatchedInputIsRejected()
    {
        Assert.Throws<ArgumentException>(() => Silhouette.Score([0f, 1f], 1, [0]));
        Assert.Throws<ArgumentException>(() => Silhouette.Score([0f, 1f], 1, [0, -1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Silhouette.Score([0f, 1f], 1, [0, 1], sampleSize: 1));
    }
}
