using MicroMoment.Numerics;

namespace MicroMoment.Features;

/// <summary>
/// Per-column min-max scaling to [0, 1]: x' = (x − min) / (max − min), clamped, so values beyond the training
/// range (live traffic the training set never saw) stay in [0, 1]. A constant column maps to 0. Fit it on
/// training data only (<see cref="Fit"/> or <see cref="MinMaxScalerBuilder"/>), then reuse it unchanged for
/// validation, test and serving.
/// </summary>
public sealed class MinMaxScaler
{
    private readonly float[] _min;
    private readonly float[] _max;
    private readonly float[] _inverseRange;

    /// <summary>Creates a scaler from per-column minima and maxima (for loading from a model file).</summary>
    /// <exception cref="ArgumentException">Lengths differ or are zero, a bound is not finite, or a minimum exceeds its maximum.</exception>
    public MinMaxScaler(float[] min, float[] max)
    {
        ArgumentNullException.ThrowIfNull(min);
        ArgumentNullException.ThrowIfNull(max);
        if (min.Length == 0) throw new ArgumentException("A scaler needs at least one column; got empty bounds.", nameof(min));
        if (min.Length != max.Length)
            throw new ArgumentException($"Min has {min.Length} columns and max has {max.Length}; they must match.", nameof(max));
        _min = (float[])min.Clone();
        _max = (float[])max.Clone();
        _inverseRange = new float[min.Length];
        for (int j = 0; j < min.Length; j++)
        {
            if (!float.IsFinite(_min[j]) || !float.IsFinite(_max[j]))
                throw new ArgumentException($"Column {j} has a non-finite bound (min {_min[j]}, max {_max[j]}); bounds must be finite.", nameof(min));
            if (_min[j] > _max[j])
                throw new ArgumentException($"Column {j} has min {_min[j]} above max {_max[j]}; expected min <= max.", nameof(min));
            double range = (double)_max[j] - _min[j];
            _inverseRange[j] = range > 0 ? (float)(1.0 / range) : 0f;
        }
    }

    /// <summary>The number of columns.</summary>
    public int Dimension => _min.Length;

    /// <summary>Per-column training minima (a copy).</summary>
    public float[] Min => (float[])_min.Clone();

    /// <summary>Per-column training maxima (a copy).</summary>
    public float[] Max => (float[])_max.Clone();

    /// <summary>Fits a scaler on <paramref name="rows"/>, a row-major n × <paramref name="dimension"/> block (n ≥ 1).</summary>
    /// <exception cref="ArgumentException">The block is empty, not a whole number of rows, or holds a non-finite value.</exception>
    public static MinMaxScaler Fit(ReadOnlySpan<float> rows, int dimension)
    {
        RowBlock.CountRows(rows, dimension);
        var builder = new MinMaxScalerBuilder(dimension);
        for (int offset = 0; offset < rows.Length; offset += dimension) builder.Observe(rows.Slice(offset, dimension));
        return builder.Build();
    }

    /// <summary>Scales one row in place, clamped to [0, 1]; NaN becomes 0. Allocates nothing.</summary>
    /// <exception cref="ArgumentException">The row length is not <see cref="Dimension"/>.</exception>
    public void Transform(Span<float> row)
    {
        if (row.Length != _min.Length)
            throw new ArgumentException($"The row has {row.Length} values; this scaler has {_min.Length} columns.", nameof(row));
        for (int j = 0; j < row.Length; j++)
        {
            float scaled = (row[j] - _min[j]) * _inverseRange[j];
            // Written so that NaN (from x or from inf·0) falls through to 0.
            row[j] = scaled > 0f ? (scaled < 1f ? scaled : 1f) : 0f;
        }
    }

    /// <summary>Scales every row of a row-major block in place.</summary>
    /// <exception cref="ArgumentException">The block is not a whole number of rows.</exception>
    public void TransformRows(Span<float> rows)
    {
        if (rows.Length % _min.Length != 0)
            throw new ArgumentException($"The block has {rows.Length} floats, not a multiple of the {_min.Length} columns.", nameof(rows));
        for (int offset = 0; offset < rows.Length; offset += _min.Length) Transform(rows.Slice(offset, _min.Length));
    }

    /// <summary>Maps a scaled row back to original units in place (x = min + x'·(max − min)); a constant column returns its value.</summary>
    /// <exception cref="ArgumentException">The row length is not <see cref="Dimension"/>.</exception>
    public void InverseTransform(Span<float> row)
    {
        if (row.Length != _min.Length)
            throw new ArgumentException($"The row has {row.Length} values; this scaler has {_min.Length} columns.", nameof(row));
        for (int j = 0; j < row.Length; j++) row[j] = _min[j] + row[j] * (_max[j] - _min[j]);
    }
}
