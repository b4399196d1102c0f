using MicroMoment.Clustering;
using MicroMoment.Features;
using MicroMoment.Numerics;

namespace MicroMoment.Tests.Numerics;

public class RowBlockTests
{
    [Fact]
    public void WholeRowsAreCounted() => Assert.Equal(2, RowBlock.CountRows([1f, 2f, 3f, 4f, 5f, 6f], 3));

    [Fact]
    public void EmptyOrPartialBlocksAndBadDimensionsAreRejectedNamingTheCallersArguments()
    {
        float[] partial = [1f, 2f, 3f];
        var kMeans = Assert.Throws<ArgumentException>(() => KMeans.Fit(partial, 2, 1, 0));
        Assert.Equal("data", kMeans.ParamName);
        Assert.Contains("n x 2 floats; got 3 floats", kMeans.Message);

        Assert.Equal("rows", Assert.Throws<ArgumentException>(() => MinMaxScaler.Fit([], 2)).ParamName);
        Assert.Equal("dimension", Assert.Throws<ArgumentOutOfRangeException>(() => MinMaxScaler.Fit(partial, 0)).ParamName);
        Assert.Equal("d", Assert.Throws<ArgumentOutOfRangeException>(() => Pca2.Fit(partial, -1)).ParamName);
    }
}
