namespace MicroMoment.Gateway.Dashboard;

/// <summary>Projects cluster centroids onto their first two principal components (PCA of the centroids themselves).</summary>
public static class CentroidProjection
{
    /// <summary>
    /// The 2-D coordinates of each centroid on the two directions of largest spread among the centroids, and the share of
    /// the centroids' variance each direction explains. Deterministic: power iteration from a fixed start, signs fixed so
    /// that the largest coordinate on each axis is positive.
    /// </summary>
    /// <exception cref="ArgumentException">No centroids, or centroids of different dimensions, or non-finite values.</exception>
    public static (double X, double Y)[] Project(IReadOnlyList<float[]> centroids, out double explainedX, out double explainedY)
    {
        ArgumentNullException.ThrowIfNull(centroids);
        if (centroids.Count == 0) throw new ArgumentException("Expected at least one centroid to project; got none.", nameof(centroids));
        int k = centroids.Count, d = centroids[0].Length;
        if (d == 0) throw new ArgumentException("Centroids must have at least one dimension.", nameof(centroids));
        var mean = new double[d];
        for (int c = 0; c < k; c++)
        {
            if (centroids[c].Length != d)
                throw new ArgumentException($"All centroids must have {d} dimensions; centroid {c} has {centroids[c].Length}.", nameof(centroids));
            for (int j = 0; j < d; j++)
            {
                if (!float.IsFinite(centroids[c][j])) throw new ArgumentException($"Centroid {c} has a non-finite value at dimension {j}.", nameof(centroids));
                mean[j] += centroids[c][j] / (double)k;
            }
        }

        var centered = new double[k][];
        for (int c = 0; c < k; c++)
        {
            centered[c] = new double[d];
            for (int j = 0; j < d; j++) centered[c][j] = centroids[c][j] - mean[j];
        }

        var covariance = new double[d, d];
        for (int c = 0; c < k; c++)
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) covariance[i, j] += centered[c][i] * centered[c][j];
        double total = 0;
        for (int i = 0; i < d; i++) total += covariance[i, i];

        var first = Dominant(covariance, d, null, 1e-10 * total, out double l1);
        var second = Dominant(covariance, d, first, 1e-10 * total, out double l2);
        explainedX = total > 0 ? l1 / total : 0;
        explainedY = total > 0 ? Math.Max(0, l2) / total : 0;

        var result = new (double X, double Y)[k];
        for (int c = 0; c < k; c++) result[c] = (Dot(centered[c], first), Dot(centered[c], second));
        if (result.Length > 0 && result.MaxBy(p => Math.Abs(p.X)).X < 0) for (int c = 0; c < k; c++) result[c].X = -result[c].X;
        if (result.Length > 0 && result.MaxBy(p => Math.Abs(p.Y)).Y < 0) for (int c = 0; c < k; c++) result[c].Y = -result[c].Y;
        return result;
    }

    /// <summary>The unit eigenvector of largest eigenvalue, orthogonal to <paramref name="orthogonalTo"/> when given (power iteration);
    /// when what is left is at most <paramref name="negligible"/> (no spread left), the orthogonal start vector and eigenvalue 0.</summary>
    private static double[] Dominant(double[,] matrix, int d, double[]? orthogonalTo, double negligible, out double eigenvalue)
    {
        var v = new double[d];
        for (int i = 0; i < d; i++) v[i] = 1.0 + i * 0.01 + (i % 2 == 0 ? 0.5 : 0);
        Orthogonalize(v, orthogonalTo);
        if (Math.Sqrt(Dot(v, v)) < 1e-12)
        {
            Array.Clear(v);
            v[orthogonalTo is null || Math.Abs(orthogonalTo[0]) < 0.9 ? 0 : 1] = 1;
            Orthogonalize(v, orthogonalTo);
        }
        Normalize(v);
        var next = new double[d];
        eigenvalue = 0;
        for (int iteration = 0; iteration < 500; iteration++)
        {
            for (int i = 0; i < d; i++)
            {
                double sum = 0;
                for (int j = 0; j < d; j++) sum += matrix[i, j] * v[j];
                next[i] = sum;
            }
            Orthogonalize(next, orthogonalTo);
            double norm = Math.Sqrt(Dot(next, next));
            if (norm <= negligible || norm < 1e-300)
            {
                eigenvalue = 0;
                return v;
            }
            eigenvalue = norm;
            double change = 0;
            for (int i = 0; i < d; i++)
            {
                double value = next[i] / norm;
                change += Math.Abs(value - v[i]);
                v[i] = value;
            }
            if (change < 1e-12) break;
        }
        return v;
    }

    private static void Orthogonalize(double[] v, double[]? unit)
    {
        if (unit is null) return;
        double along = Dot(v, unit);
        for (int i = 0; i < v.Length; i++) v[i] -= along * unit[i];
    }

    private static void Normalize(double[] v)
    {
        double norm = Math.Sqrt(Dot(v, v));
        for (int i = 0; i < v.Length; i++) v[i] /= norm;
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}
