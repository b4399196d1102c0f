using MicroMoment.Features;

namespace MicroMoment.Tests.Features;

public class MinMaxScalerTests
{
    private static readonly float[] _rows =
    [
        0f, 10f, 5f,
        2f, 30f, 5f,
        4f, 20f, 5f,
    ];

    [Fact]
    public void FitMapsTheTrainingRangeOntoZeroToOne()
    {
        var scaler = MinMaxScaler.Fit(_rows, 3);
        Assert.Equal([0f, 10f, 5f], scaler.Min);
        Assert.Equal([4f, 30f, 5f], scaler.Max);
        float[] row = [2f, 25f, 5f];
        scaler.Transform(row);
        Assert.Equal([0.5f, 0.75f, 0f], row);
    }

    [Fact]
    public void UnseenValuesAreClampedAndNaNBecomesZero()
    {
        var scaler = MinMaxScaler.Fit(_rows, 3);
        float[] row = [-100f, 1e9f, 6f];
        scaler.Transform(row);
        Assert.Equal([0f, 1f, 0f], row);
        float[] odd = [float.NaN, float.PositiveInfinity, float.NegativeInfinity];
        scaler.Transform(odd);
        Assert.Equal([0f, 1f, 0f], odd);
    }

    [Fact]
    public void ConstantColumnsMapToZero()
    {
        var scaler = MinMaxScaler.Fit(_rows, 3);
        float[] row = [0f, 10f, 5f];
        scaler.Transform(row);
        Assert.Equal(0f, row[2]);
    }

    [Fact]
    public void StreamingBuilderMatchesTheBlockFit()
    {
        var builder = new MinMaxScalerBuilder(3);
        for (int i = 0; i < 3; i++) builder.Observe(_rows.AsSpan(i * 3, 3));
        var streamed = builder.Build();
        var block = MinMaxScaler.Fit(_rows, 3);
        Assert.Equal(3, builder.Count);
        Assert.Equal(block.Min, streamed.Min);
        Assert.Equal(block.Max, streamed.Max);
    }

    [Fact]
    public void InverseTransformRestoresValuesInsideTheRange()
    {
        var scaler = MinMaxScaler.Fit(_rows, 3);
        float[] row = [1f, 12f, 5f];
        scaler.Transform(row);
        scaler.InverseTransform(row);
        Assert.Equal(1f, row[0], 5);
        Assert.Equal(12f, row[1], 4);
        Assert.Equal(5f, row[2]);
    }

    [Fact]
    public void TransformRowsScalesEveryRow()
    {
        var scaler = MinMaxScaler.Fit(_rows, 3);
        var copy = (float[])_rows.Clone();
        scaler.TransformRows(copy);
        Assert.Equal([0f, 0f, 0f, 0.5f, 1f, 0f, 1f, 0.5f, 0f], copy);
        Assert.Throws<ArgumentException>(() => scaler.TransformRows(new float[4]));
    }

    [Fact]
    public void BadBoundsAndRowsAreRejectedWithClearMessages()
    {
        Assert.Contains("match", Assert.Throws<ArgumentException>(() => new MinMaxScaler([0f, 1f], [1f])).Message);
        Assert.Contains("above max", Assert.Throws<ArgumentException>(() => new MinMaxScaler([2f], [1f])).Message);
        Assert.Contains("non-finite", Assert.Throws<ArgumentException>(() => new MinMaxScaler([float.NaN], [1f])).Message);
        Assert.Throws<ArgumentException>(() => new MinMaxScaler([], []));
        Assert.Throws<ArgumentException>(() => MinMaxScaler.Fit(new float[4], 3));
        Assert.Throws<ArgumentException>(() => MinMaxScaler.Fit(ReadOnlySpan<float>.Empty, 3));
        var scaler = MinMaxScaler.Fit(_rows, 3);
        Assert.Throws<ArgumentException>(() => scaler.Transform(new float[2]));

        var builder = new MinMaxScalerBuilder(2);
        Assert.Throws<InvalidOperationException>(() => builder.Build());
        Assert.Contains("finite", Assert.Throws<ArgumentException>(() => builder.Observe([1f, float.NaN])).Message);
    }

    [Fact]
    public void TheScalerKeepsItsOwnCopyOfTheBounds()
    {
        float[] min = [0f];
        float[] max = [10f];
        var scaler = new MinMaxScaler(min, max);
        max[0] = 1000f;
        scaler.Max[0] = 1000f;
        float[] row = [5f];
        scaler.Transform(row);
        Assert.Equal(0.5f, row[0]);
    }
}
