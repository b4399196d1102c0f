using MicroMoment.Clustering;

namespace MicroMoment.Tests.Clustering;

public class Pca2Tests
{
    [Fact]
    public void FindsTheDirectionOfALine()
    {
        var data = new List<float>();
        for (int i = -50; i <= 50; i++) data.AddRange([1f + i * 1f, 2f + i * 2f, -i * 2f]);
        var pca = Pca2.Fit(data.ToArray(), 3);
        float[] axis = pca.Component1;
        Assert.Equal(1f / 3f, axis[0], 4);
        Assert.Equal(2f / 3f, axis[1], 4);
        Assert.Equal(-2f / 3f, axis[2], 4);
        Assert.Equal(1.0, pca.ExplainedRatio1, 6);
        Assert.Equal(0.0, pca.ExplainedRatio2, 6);

        pca.Project([1f, 2f, 0f], out float x, out float y);
        Assert.Equal(0f, x, 4);
        Assert.Equal(0f, y, 4);
        pca.Project([2f, 4f, -2f], out x, out _);
        Assert.Equal(3f, x, 4);
    }

    [Fact]
    public void AxesAreOrthonormalOrderedByVarianceAndDeterministic()
    {
        float[] data = Blobs.Make([[0f, 0f, 0f, 0f], [6f, 1f, 0f, 2f], [0f, 3f, 1f, -2f]], 100, 1.0, seed: 12, out _);
        var a = Pca2.Fit(data, 4);
        var b = Pca2.Fit(data, 4);
        Assert.Equal(a.Component1, b.Component1);
        Assert.Equal(a.Component2, b.Component2);

        float[] c1 = a.Component1, c2 = a.Component2;
        Assert.Equal(1.0, Dot(c1, c1), 5);
        Assert.Equal(1.0, Dot(c2, c2), 5);
        Assert.Equal(0.0, Dot(c1, c2), 5);
        Assert.True(a.Variance1 >= a.Variance2);
        Assert.True(a.ExplainedRatio1 + a.ExplainedRatio2 <= 1.0 + 1e-9);

        // The variance of the projected x coordinates equals Variance1.
        float[] projected = a.ProjectAll(data);
        double mean = 0, squares = 0;
        int n = projected.Length / 2;
        for (int i = 0; i < n; i++) mean += projected[2 * i];
        mean /= n;
        for (int i = 0; i < n; i++) squares += (projected[2 * i] - mean) * (projected[2 * i] - mean);
        Assert.Equal(a.Variance1, squares / (n - 1), 3);
    }

    [Fact]
    public void ConstantDataHasNoVariance()
    {
        var pca = Pca2.Fit([1f, 2f, 1f, 2f, 1f, 2f], 2);
        Assert.Equal(0, pca.TotalVariance);
        Assert.Equal(0, pca.ExplainedRatio1);
        pca.Project([1f, 2f], out float x, out float y);
        Assert.Equal(0f, x);
        Assert.Equal(0f, y);
    }

    private static double Dot(float[] a, float[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
