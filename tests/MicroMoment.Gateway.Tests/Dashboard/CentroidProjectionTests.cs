using MicroMoment.Gateway.Dashboard;

namespace MicroMoment.Gateway.Tests.Dashboard;

public sealed class CentroidProjectionTests
{
    [Fact]
    public void CentroidsOnOneLineSpreadAlongTheFirstAxisOnly()
    {
        float[][] centroids = [[0, 0, 0], [1, 2, 3], [2, 4, 6], [-1, -2, -3]];
        var points = CentroidProjection.Project(centroids, out var explainedX, out var explainedY);
        Assert.Equal(1.0, explainedX, 6);
        Assert.Equal(0.0, explainedY, 6);
        Assert.All(points, p => Assert.Equal(0.0, p.Y, 6));
        // Distances along the line are kept: |[1,2,3]| = sqrt(14).
        Assert.Equal(Math.Sqrt(14), Math.Abs(points[1].X - points[0].X), 6);
    }

    [Fact]
    public void ProjectionKeepsPairwiseDistancesOfPlanarCentroids()
    {
        float[][] centroids = [[0, 0, 5], [3, 0, 5], [0, 4, 5], [3, 4, 5]];
        var points = CentroidProjection.Project(centroids, out var explainedX, out var explainedY);
        Assert.Equal(1.0, explainedX + explainedY, 6);
        for (int a = 0; a < centroids.Length; a++)
            for (int b = 0; b < centroids.Length; b++)
            {
                double original = Math.Sqrt(centroids[a].Zip(centroids[b], (u, v) => (double)(u - v) * (u - v)).Sum());
                double projected = Math.Sqrt(Math.Pow(points[a].X - points[b].X, 2) + Math.Pow(points[a].Y - points[b].Y, 2));
                Assert.Equal(original, projected, 5);
            }
    }

    [Fact]
    public void ProjectionIsDeterministic()
    {
        float[][] centroids = [[0.3f, -1, 2, 0.1f], [1, 1, -2, 0], [0, 0.5f, 0.5f, 3], [-2, 0, 1, 1]];
        var first = CentroidProjection.Project(centroids, out _, out _);
        var second = CentroidProjection.Project(centroids, out _, out _);
        Assert.Equal(first, second);
    }

    [Fact]
    public void BadCentroidsAreRefusedWithTheReason()
    {
        Assert.Contains("at least one centroid", Assert.Throws<ArgumentException>(() => CentroidProjection.Project([], out _, out _)).Message);
        Assert.Contains("centroid 1 has 2", Assert.Throws<ArgumentException>(() => CentroidProjection.Project([[1, 2, 3], [1, 2]], out _, out _)).Message);
        Assert.Contains("non-finite", Assert.Throws<ArgumentException>(() => CentroidProjection.Project([[1, float.NaN]], out _, out _)).Message);
    }
}
