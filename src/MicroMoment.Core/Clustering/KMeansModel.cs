namespace MicroMoment.Clustering;

/// <summary>
/// A fitted K-Means model: k centroids of dimension d, stored row-major (k × d). Assigning a point to its nearest
/// centroid (squared Euclidean distance, ties to the lower index) allocates nothing, so it runs per event.
/// </summary>
public sealed class KMeansModel
{
    private readonly float[] _centroids;

    /// <summary>Creates a model from row-major centroids (for loading from a model file).</summary>
    /// <param name="centroids">k × <paramref name="dimension"/> floats, row-major.</param>
    /// <param name="dimension">The point dimension d.</param>
    /// <param name="inertia">The training inertia (sum of squared distances), or NaN when unknown.</param>
    /// <param name="iterations">Lloyd iterations the fit ran (0 when unknown).</param>
    /// <exception cref="ArgumentException">The centroids are empty, not a whole number of rows, or not finite.</exception>
    public KMeansModel(ReadOnlySpan<float> centroids, int dimension, double inertia = double.NaN, int iterations = 0)
    {
        if (dimension <= 0) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The dimension must be positive.");
        if (centroids.Length == 0 || centroids.Length % dimension != 0)
            throw new ArgumentException($"Expected k x {dimension} centroid values with k >= 1; got {centroids.Length} values.", nameof(centroids));
        for (int i = 0; i < centroids.Length; i++)
        {
            if (!float.IsFinite(centroids[i]))
                throw new ArgumentException($"Centroid {i / dimension} has a non-finite value {centroids[i]} in column {i % dimension}.", nameof(centroids));
        }
        if (iterations < 0) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "Iterations cannot be negative.");
        _centroids = centroids.ToArray();
        Dimension = dimension;
        K = centroids.Length / dimension;
        Inertia = inertia;
        Iterations = iterations;
    }

    /// <summary>The number of clusters.</summary>
    public int K { get; }

    /// <summary>The point dimension.</summary>
    public int Dimension { get; }

    /// <summary>Sum of squared distances of the training points to their centroids (NaN when unknown).</summary>
    public double Inertia { get; }

    /// <summary>Lloyd iterations the fit ran (0 when unknown).</summary>
    public int Iterations { get; }

    /// <summary>All centroids, row-major k × d.</summary>
    public ReadOnlySpan<float> Centroids => _centroids;

    /// <summary>Centroid <paramref name="cluster"/>.</summary>
    public ReadOnlySpan<float> Centroid(int cluster)
    {
        if ((uint)cluster >= (uint)K) throw new ArgumentOutOfRangeException(nameof(cluster), cluster, $"Expected a cluster in 0..{K - 1}.");
        return _centroids.AsSpan(cluster * Dimension, Dimension);
    }

    /// <summary>The nearest centroid to <paramref name="point"/>. Allocates nothing.</summary>
    /// <exception cref="ArgumentException">The point length is not <see cref="Dimension"/>.</exception>
    public int Assign(ReadOnlySpan<float> point) => Assign(point, out _);

    /// <summary>The nearest centroid to <paramref name="point"/> and the squared distance to it. Allocates nothing.</summary>
    /// <exception cref="ArgumentException">The point length is not <see cref="Dimension"/>.</exception>
    public int Assign(ReadOnlySpan<float> point, out float squaredDistance)
    {
        if (point.Length != Dimension)
            throw new ArgumentException($"The point has {point.Length} values; this model's centroids have {Dimension}.", nameof(point));
        return Nearest(_centroids, K, point, out squaredDistance);
    }

    /// <summary>The nearest centroid of every row of a row-major n × d block.</summary>
    /// <exception cref="ArgumentException">The block is not a whole number of rows.</exception>
    public int[] AssignAll(ReadOnlySpan<float> data)
    {
        if (data.Length % Dimension != 0)
            throw new ArgumentException($"The block has {data.Length} floats, not a multiple of the dimension {Dimension}.", nameof(data));
        var labels = new int[data.Length / Dimension];
        for (int i = 0; i < labels.Length; i++) labels[i] = Nearest(_centroids, K, data.Slice(i * Dimension, Dimension), out _);
        return labels;
    }

    /// <summary>Nearest of <paramref name="k"/> row-major centroids; ties go to the lower index.</summary>
    internal static int Nearest(ReadOnlySpan<float> centroids, int k, ReadOnlySpan<float> point, out float squaredDistance)
    {
        int d = point.Length;
        int best = 0;
        float bestDistance = float.PositiveInfinity;
        for (int c = 0; c < k; c++)
        {
            float dist = SquaredDistance(centroids.Slice(c * d, d), point);
            if (dist < bestDistance)
            {
                bestDistance = dist;
                best = c;
            }
        }
        squaredDistance = bestDistance;
        return best;
    }

    /// <summary>Squared Euclidean distance, summed left to right in float so every machine gets the same bits.</summary>
    internal static float SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float sum = 0f;
        for (int j = 0; j < a.Length; j++)
        {
            float diff = a[j] - b[j];
            sum += diff * diff;
        }
        return sum;
    }
}
