using MicroMoment.Numerics;

namespace MicroMoment.Clustering;

/// <summary>
/// K-Means (Lloyd's algorithm) with greedy k-means++ seeding. Deterministic for a seed whatever the degree of
/// parallelism: per-point work is independent, and every sum runs over fixed chunks reduced in chunk order.
/// </summary>
public static class KMeans
{
    /// <summary>Fits k centroids to <paramref name="data"/>, a row-major n × <paramref name="d"/> block.</summary>
    /// <param name="data">The points, row-major.</param>
    /// <param name="d">The point dimension.</param>
    /// <param name="k">The number of clusters, 1..n.</param>
    /// <param name="seed">Seed of the seeding draws; the same seed and data give the same model.</param>
    /// <param name="maxIter">The most Lloyd iterations to run (the fit stops earlier when no point changes cluster).</param>
    /// <param name="degreeOfParallelism">Threads to use; results do not depend on it.</param>
    /// <remarks>
    /// Seeding: the first centre is a uniform draw; each further centre is the best (lowest resulting inertia)
    /// of 2 + ⌊ln k⌋ candidates drawn with probability proportional to the squared distance to the nearest
    /// chosen centre. Empty clusters: a centroid that loses all its points is moved onto the point farthest
    /// from its own centroid (each such point used once per iteration), so the fit ends with non-empty
    /// clusters whenever the data hold at least k distinct points.
    /// </remarks>
    /// <exception cref="ArgumentException">Bad dimension, k, iteration count or parallelism, a partial row, or a non-finite value.</exception>
    public static KMeansModel Fit(ReadOnlySpan<float> data, int d, int k, ulong seed, int maxIter = 100, int degreeOfParallelism = 2)
    {
        int n = RowBlock.CountRows(data, d);
        if (k < 1 || k > n) throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be between 1 and the number of points ({n}).");
        if (maxIter < 1) throw new ArgumentOutOfRangeException(nameof(maxIter), maxIter, "At least one iteration is needed.");
        if (degreeOfParallelism < 1) throw new ArgumentOutOfRangeException(nameof(degreeOfParallelism), degreeOfParallelism, "The degree of parallelism must be at least 1.");
        for (int i = 0; i < data.Length; i++)
        {
            if (!float.IsFinite(data[i]))
                throw new ArgumentException($"Point {i / d} has the non-finite value {data[i]} in column {i % d}; K-Means needs finite data.", nameof(data));
        }

        float[] points = data.ToArray();
        float[] centroids = Seed(points, n, d, k, seed, degreeOfParallelism);

        var fit = new LloydState(points, n, d, k, degreeOfParallelism);
        int iterations = 0;
        bool converged = false;
        while (iterations < maxIter)
        {
            int changes = fit.AssignAndAccumulate(centroids);
            if (changes == 0 && iterations > 0)
            {
                converged = true;
                break;
            }
            fit.UpdateCentroids(centroids);
            iterations++;
        }
        if (!converged) fit.AssignAndAccumulate(centroids);
        return new KMeansModel(centroids, d, fit.Inertia, iterations);
    }

    private static float[] Seed(float[] points, int n, int d, int k, ulong seed, int dop)
    {
        var rng = new SplitMix64(seed);
        var centroids = new float[k * d];
        int first = rng.NextInt(n);
        points.AsSpan(first * d, d).CopyTo(centroids);

        var nearest = new double[n];
        ChunkedParallel.ForEachChunk(n, dop, (_, start, end) =>
        {
            ReadOnlySpan<float> c0 = points.AsSpan(first * d, d);
            for (int i = start; i < end; i++) nearest[i] = KMeansModel.SquaredDistance(points.AsSpan(i * d, d), c0);
        });

        int trials = 2 + (int)Math.Log(k);
        var partials = new double[ChunkedParallel.ChunkCount(n)];
        for (int c = 1; c < k; c++)
        {
            double total = 0;
            for (int i = 0; i < n; i++) total += nearest[i];

            int bestCandidate = -1;
            double bestPotential = double.PositiveInfinity;
            for (int t = 0; t < trials; t++)
            {
                int candidate = total > 0 ? DrawProportional(nearest, total, rng.NextDouble()) : rng.NextInt(n);
                ChunkedParallel.ForEachChunk(n, dop, (chunk, start, end) =>
                {
                    ReadOnlySpan<float> cand = points.AsSpan(candidate * d, d);
                    double sum = 0;
                    for (int i = start; i < end; i++)
                        sum += Math.Min(nearest[i], KMeansModel.SquaredDistance(points.AsSpan(i * d, d), cand));
                    partials[chunk] = sum;
                });
                double potential = ChunkedParallel.OrderedSum(partials);
                if (potential < bestPotential)
                {
                    bestPotential = potential;
                    bestCandidate = candidate;
                }
            }

            points.AsSpan(bestCandidate * d, d).CopyTo(centroids.AsSpan(c * d, d));
            int chosen = bestCandidate;
            ChunkedParallel.ForEachChunk(n, dop, (_, start, end) =>
            {
                ReadOnlySpan<float> cc = points.AsSpan(chosen * d, d);
                for (int i = start; i < end; i++)
                    nearest[i] = Math.Min(nearest[i], KMeansModel.SquaredDistance(points.AsSpan(i * d, d), cc));
            });
        }
        return centroids;
    }

    private static int DrawProportional(double[] weights, double total, double uniform)
    {
        double target = uniform * total;
        double cumulative = 0;
        int lastPositive = -1;
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i] <= 0) continue;
            cumulative += weights[i];
            lastPositive = i;
            if (cumulative > target) return i;
        }
        return lastPositive;
    }

    /// <summary>The buffers of one Lloyd fit, allocated once.</summary>
    private sealed class LloydState
    {
        private readonly float[] _points;
        private readonly int _n;
        private readonly int _d;
        private readonly int _k;
        private readonly int _dop;
        private readonly int[] _labels;
        private readonly float[] _distances;
        private readonly double[][] _chunkSums;
        private readonly int[][] _chunkCounts;
        private readonly double[] _chunkInertia;
        private readonly int[] _chunkChanges;
        private readonly double[] _sums;
        private readonly int[] _counts;

        public LloydState(float[] points, int n, int d, int k, int dop)
        {
            _points = points;
            _n = n;
            _d = d;
            _k = k;
            _dop = dop;
            _labels = new int[n];
            _labels.AsSpan().Fill(-1);
            _distances = new float[n];
            int chunks = ChunkedParallel.ChunkCount(n);
            _chunkSums = new double[chunks][];
            _chunkCounts = new int[chunks][];
            for (int c = 0; c < chunks; c++)
            {
                _chunkSums[c] = new double[k * d];
                _chunkCounts[c] = new int[k];
            }
            _chunkInertia = new double[chunks];
            _chunkChanges = new int[chunks];
            _sums = new double[k * d];
            _counts = new int[k];
        }

        public double Inertia { get; private set; }

        /// <summary>Assigns every point to its nearest centroid, accumulates per-cluster sums, and returns how many labels changed.</summary>
        public int AssignAndAccumulate(float[] centroids)
        {
            ChunkedParallel.ForEachChunk(_n, _dop, (chunk, start, end) =>
            {
                double[] sums = _chunkSums[chunk];
                int[] counts = _chunkCounts[chunk];
                Array.Clear(sums);
                Array.Clear(counts);
                double inertia = 0;
                int changes = 0;
                for (int i = start; i < end; i++)
                {
                    ReadOnlySpan<float> p = _points.AsSpan(i * _d, _d);
                    int label = KMeansModel.Nearest(centroids, _k, p, out float dist);
                    if (label != _labels[i]) changes++;
                    _labels[i] = label;
                    _distances[i] = dist;
                    inertia += dist;
                    counts[label]++;
                    int offset = label * _d;
                    for (int j = 0; j < _d; j++) sums[offset + j] += p[j];
                }
                _chunkInertia[chunk] = inertia;
                _chunkChanges[chunk] = changes;
            });

            Array.Clear(_sums);
            Array.Clear(_counts);
            int totalChanges = 0;
            for (int chunk = 0; chunk < _chunkSums.Length; chunk++)
            {
                double[] sums = _chunkSums[chunk];
                for (int j = 0; j < _sums.Length; j++) _sums[j] += sums[j];
                int[] counts = _chunkCounts[chunk];
                for (int c = 0; c < _k; c++) _counts[c] += counts[c];
                totalChanges += _chunkChanges[chunk];
            }
            Inertia = ChunkedParallel.OrderedSum(_chunkInertia);
            return totalChanges;
        }

        /// <summary>Moves each centroid to the mean of its points; re-seeds empty clusters on far points.</summary>
        public void UpdateCentroids(float[] centroids)
        {
            for (int c = 0; c < _k; c++)
            {
                if (_counts[c] == 0) continue;
                double inv = 1.0 / _counts[c];
                for (int j = 0; j < _d; j++) centroids[c * _d + j] = (float)(_sums[c * _d + j] * inv);
            }
            for (int c = 0; c < _k; c++)
            {
                if (_counts[c] != 0) continue;
                int farthest = -1;
                float farthestDistance = 0f;
                for (int i = 0; i < _n; i++)
                {
                    if (_distances[i] > farthestDistance)
                    {
                        farthestDistance = _distances[i];
                        farthest = i;
                    }
                }
                // Every point already sits on a centroid: fewer distinct points than clusters, nothing to move.
                if (farthest < 0) break;
                _points.AsSpan(farthest * _d, _d).CopyTo(centroids.AsSpan(c * _d, _d));
                _distances[farthest] = 0f;
            }
        }
    }
}
