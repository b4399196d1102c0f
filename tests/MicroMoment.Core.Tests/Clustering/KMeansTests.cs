using MicroMoment.Clustering;

namespace MicroMoment.Tests.Clustering;

public class KMeansTests
{
    [Fact]
    public void RecoversWellSeparatedBlobs()
    {
        float[][] centres = Blobs.ThreeCentres;
        float[] data = Blobs.Make(centres, 200, 0.5, seed: 1, out int[] truth);
        var model = KMeans.Fit(data, 4, 3, seed: 11);
        int[] labels = model.AssignAll(data);

        // Every blob maps to exactly one cluster and the three clusters differ.
        var blobToCluster = new int[3];
        for (int b = 0; b < 3; b++)
        {
            var clusters = labels.Where((_, i) => truth[i] == b).Distinct().ToArray();
            Assert.Single(clusters);
            blobToCluster[b] = clusters[0];
        }
        Assert.Equal(3, blobToCluster.Distinct().Count());
        for (int b = 0; b < 3; b++)
        {
            var centroid = model.Centroid(blobToCluster[b]).ToArray();
            for (int j = 0; j < 4; j++) Assert.InRange(centroid[j], centres[b][j] - 0.2f, centres[b][j] + 0.2f);
        }
        // Inertia ≈ n · d · spread² for well-separated blobs.
        Assert.InRange(model.Inertia, 0.8 * 600 * 4 * 0.25, 1.2 * 600 * 4 * 0.25);
        Assert.True(model.Iterations >= 1);
    }

    [Fact]
    public void IsDeterministicForASeedWithOneOrTwoThreads()
    {
        // Enough points for several parallel chunks.
        float[] data = Blobs.Make([[0f, 0f, 0f], [3f, 1f, 0f], [1f, 4f, 2f], [5f, 5f, 5f], [2f, 2f, 2f]], 1000, 1.5, seed: 3, out _);
        var one = KMeans.Fit(data, 3, 5, seed: 99, degreeOfParallelism: 1);
        var two = KMeans.Fit(data, 3, 5, seed: 99, degreeOfParallelism: 2);
        var again = KMeans.Fit(data, 3, 5, seed: 99, degreeOfParallelism: 2);
        Assert.True(one.Centroids.SequenceEqual(two.Centroids));
        Assert.True(two.Centroids.SequenceEqual(again.Centroids));
        Assert.Equal(one.Inertia, two.Inertia);
        Assert.Equal(one.Iterations, two.Iterations);
    }

    [Fact]
    public void DifferentSeedsGiveDifferentSeedingOnAmbiguousData()
    {
        float[] data = Blobs.Make([[0f, 0f]], 500, 1.0, seed: 5, out _);
        var a = KMeans.Fit(data, 2, 4, seed: 1, maxIter: 1);
        var b = KMeans.Fit(data, 2, 4, seed: 2, maxIter: 1);
        Assert.False(a.Centroids.SequenceEqual(b.Centroids));
    }

    [Fact]
    public void AsManyClustersAsDistinctPointsPutsEachPointInItsOwnCluster()
    {
        float[] data = [0f, 0f, 5f, 5f, 0f, 5f, 5f, 0f, 9f, 9f];
        var model = KMeans.Fit(data, 2, 5, seed: 4);
        Assert.Equal(0, model.Inertia);
        Assert.Equal(5, model.AssignAll(data).Distinct().Count());
    }

    [Fact]
    public void DuplicatePointsBeyondTheDistinctCountDoNotBreakTheFit()
    {
        var data = new float[40];
        for (int i = 0; i < 20; i++) data[2 * i] = i % 2 == 0 ? 0f : 8f;
        var model = KMeans.Fit(data, 2, 3, seed: 4);
        Assert.Equal(0, model.Inertia);
        Assert.Equal(3, model.K);
    }

    [Fact]
    public void AssignPicksTheNearestCentroidAndAllocatesNothing()
    {
        var model = new KMeansModel([0f, 0f, 10f, 10f, 0f, 10f], 2);
        float[] point = [9f, 8f];
        Assert.Equal(1, model.Assign(point, out float distance));
        Assert.Equal(5f, distance);
        Assert.Equal(2, model.Assign([1f, 9f]));
        Assert.Equal(0, model.Assign([5f, 5f])); // equidistant from all three: the lowest index wins

        model.Assign(point);
        int sum = 0, calls = 0;
        Assert.Equal(0, SteadyStateAllocations.Measure(_ =>
        {
            sum += model.Assign(point);
            calls++;
        }, 1000));
        Assert.True(calls >= 1000);
        Assert.Equal(calls, sum); // every call assigns the point to cluster 1
    }

    [Fact]
    public void BadInputIsRejectedWithClearMessages()
    {
        float[] data = [0f, 1f, 2f, 3f];
        Assert.Contains("between 1 and", Assert.Throws<ArgumentOutOfRangeException>(() => KMeans.Fit(data, 2, 3, 0)).Message);
        Assert.Contains("n x 3", Assert.Throws<ArgumentException>(() => KMeans.Fit(data, 3, 1, 0)).Message);
        Assert.Contains("non-finite", Assert.Throws<ArgumentException>(() => KMeans.Fit([0f, float.NaN], 1, 1, 0)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => KMeans.Fit(data, 2, 1, 0, maxIter: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => KMeans.Fit(data, 2, 1, 0, degreeOfParallelism: 0));
        Assert.Throws<ArgumentException>(() => new KMeansModel([1f, 2f, 3f], 2));
        Assert.Throws<ArgumentException>(() => new KMeansModel([1f, float.PositiveInfinity], 2));
        var model = new KMeansModel([1f, 2f], 2);
        Assert.Throws<ArgumentException>(() => model.Assign([1f]));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Centroid(1));
    }
}
