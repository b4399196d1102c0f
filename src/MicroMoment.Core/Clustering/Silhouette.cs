using MicroMoment.Numerics;

namespace MicroMoment.Clustering;

/// <summary>
/// The mean silhouette coefficient of a clustering, computed exactly (all pairwise Euclidean distances) on a
/// deterministic sample of at most <c>sampleSize</c> points. Costs O(s² · d) for a sample of s points.
/// </summary>
public static class Silhouette
{
    /// <summary>The default sample size: exact pairwise work stays around 10⁷ distances.</summary>
    public const int DefaultSampleSize = 3000;

    /// <summary>
    /// Mean silhouette over the sample: for point i with mean distance a to the other members of its cluster and
    /// b to the members of the nearest other cluster, s = (b − a) / max(a, b); a point alone in its cluster
    /// (within the sample) scores 0. Returns 0 when the sample holds fewer than two clusters.
    /// </summary>
    /// <param name="data">The points, row-major n × <paramref name="d"/>.</param>
    /// <param name="d">The point dimension.</param>
    /// <param name="assignments">The cluster (≥ 0) of each point.</param>
    /// <param name="sampleSize">At most this many points are used; with n ≤ sampleSize every point is.</param>
    /// <param name="seed">Chooses the sample (uniform without replacement) when n exceeds the sample size.</param>
    /// <param name="degreeOfParallelism">Threads to use; results do not depend on it.</param>
    /// <exception cref="ArgumentException">Mismatched lengths, a negative label, or a sample size below 2.</exception>
    public static double Score(ReadOnlySpan<float> data, int d, ReadOnlySpan<int> assignments, int sampleSize = DefaultSampleSize,
        ulong seed = 0, int degreeOfParallelism = 1)
    {
        if (d <= 0) throw new ArgumentOutOfRangeException(nameof(d), d, "The dimension must be positive.");
        if (data.Length % d != 0)
            throw new ArgumentException($"The block has {data.Length} floats, not a multiple of the dimension {d}.", nameof(data));
        int n = data.Length / d;
        if (assignments.Length != n)
            throw new ArgumentException($"There are {n} points but {assignments.Length} assignments; expected one per point.", nameof(assignments));
        if (sampleSize < 2) throw new ArgumentOutOfRangeException(nameof(sampleSize), sampleSize, "The sample needs at least 2 points.");
        if (degreeOfParallelism < 1) throw new ArgumentOutOfRangeException(nameof(degreeOfParallelism), degreeOfParallelism, "The degree of parallelism must be at least 1.");

        int k = 0;
        for (int i = 0; i < n; i++)
        {
            if (assignments[i] < 0)
                throw new ArgumentException($"Assignment {i} is {assignments[i]}; clusters are numbered from 0.", nameof(assignments));
            k = Math.Max(k, assignments[i] + 1);
        }
        if (n < 2) return 0;

        int[] sample = SampleIndices(n, sampleSize, seed);
        int s = sample.Length;
        var points = new float[s * d];
        var labels = new int[s];
        var sizes = new int[k];
        for (int i = 0; i < s; i++)
        {
            data.Slice(sample[i] * d, d).CopyTo(points.AsSpan(i * d, d));
            labels[i] = assignments[sample[i]];
            sizes[labels[i]]++;
        }
        int present = 0;
        foreach (int size in sizes) if (size > 0) present++;
        if (present < 2) return 0;

        var scores = new double[s];
        ChunkedParallel.ForEachChunk(s, degreeOfParallelism, (_, start, end) =>
        {
            var sums = new double[k];
            for (int i = start; i < end; i++)
            {
                Array.Clear(sums);
                ReadOnlySpan<float> p = points.AsSpan(i * d, d);
                for (int j = 0; j < s; j++)
                {
                    if (j == i) continue;
                    sums[labels[j]] += Math.Sqrt(KMeansModel.SquaredDistance(p, points.AsSpan(j * d, d)));
                }
                int own = labels[i];
                if (sizes[own] <= 1)
                {
                    scores[i] = 0;
                    continue;
                }
                double a = sums[own] / (sizes[own] - 1);
                double b = double.PositiveInfinity;
                for (int c = 0; c < k; c++)
                {
                    if (c != own && sizes[c] > 0) b = Math.Min(b, sums[c] / sizes[c]);
                }
                double denominator = Math.Max(a, b);
                scores[i] = denominator > 0 ? (b - a) / denominator : 0;
            }
        });

        double total = 0;
        for (int i = 0; i < s; i++) total += scores[i];
        return total / s;
    }

    /// <summary>Sorted indices of a uniform sample without replacement (all indices when n ≤ size).</summary>
    internal static int[] SampleIndices(int n, int size, ulong seed)
    {
        var indices = new int[n];
        for (int i = 0; i < n; i++) indices[i] = i;
        if (n <= size) return indices;
        var rng = new SplitMix64(seed);
        for (int i = 0; i < size; i++)
        {
            int j = i + rng.NextInt(n - i);
            (indices[i], indices[j]) = (indices[j], indices[i]);
        }
        int[] sample = indices[..size];
        Array.Sort(sample);
        return sample;
    }
}
