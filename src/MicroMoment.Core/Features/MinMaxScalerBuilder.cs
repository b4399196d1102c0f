namespace MicroMoment.Features;

/// <summary>Streaming fit of a <see cref="MinMaxScaler"/>: observe training rows one at a time, then build.</summary>
public sealed class MinMaxScalerBuilder
{
    private readonly float[] _min;
    private readonly float[] _max;

    /// <summary>Starts an empty fit over <paramref name="dimension"/> columns.</summary>
    public MinMaxScalerBuilder(int dimension)
    {
        if (dimension <= 0) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The dimension must be positive.");
        _min = new float[dimension];
        _max = new float[dimension];
        _min.AsSpan().Fill(float.PositiveInfinity);
        _max.AsSpan().Fill(float.NegativeInfinity);
    }

    /// <summary>The number of columns.</summary>
    public int Dimension => _min.Length;

    /// <summary>Rows observed so far.</summary>
    public long Count { get; private set; }

    /// <summary>Widens the per-column ranges to include <paramref name="row"/>. Allocates nothing.</summary>
    /// <exception cref="ArgumentException">The row length is wrong or a value is not finite.</exception>
    public void Observe(ReadOnlySpan<float> row)
    {
        if (row.Length != _min.Length)
            throw new ArgumentException($"The row has {row.Length} values; this builder has {_min.Length} columns.", nameof(row));
        for (int j = 0; j < row.Length; j++)
        {
            float v = row[j];
            if (!float.IsFinite(v))
                throw new ArgumentException($"Column {j} of row {Count} is {v}; scaler training rows must be finite.", nameof(row));
            if (v < _min[j]) _min[j] = v;
            if (v > _max[j]) _max[j] = v;
        }
        Count++;
    }

    /// <summary>Builds the scaler from the rows observed so far.</summary>
    /// <exception cref="InvalidOperationException">No row was observed.</exception>
    public MinMaxScaler Build()
    {
        if (Count == 0) throw new InvalidOperationException("Cannot build a MinMaxScaler from zero rows; observe training rows first.");
        return new MinMaxScaler(_min, _max);
    }
}
