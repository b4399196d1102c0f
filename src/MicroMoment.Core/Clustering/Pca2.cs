using MicroMoment.Numerics;

namespace MicroMoment.Clustering;

/// <summary>
/// A two-component principal-component projection for drawing the cluster scatter. The components are the two
/// leading eigenvectors of the sample covariance, found by power iteration (with deflation and
/// re-orthogonalisation) from a fixed start vector, and signed so their largest-magnitude entry is positive:
/// the same data always give the same picture.
/// </summary>
public sealed class Pca2
{
    private const int MaxIterations = 5000;
    private const double Tolerance = 1e-12;

    private readonly float[] _mean;
    private readonly float[] _component1;
    private readonly float[] _component2;

    private Pca2(float[] mean, float[] component1, float[] component2, double variance1, double variance2, double totalVariance)
    {
        _mean = mean;
        _component1 = component1;
        _component2 = component2;
        Variance1 = variance1;
        Variance2 = variance2;
        TotalVariance = totalVariance;
    }

    /// <summary>The input dimension.</summary>
    public int Dimension => _mean.Length;

    /// <summary>The per-column mean of the fitted data (a copy).</summary>
    public float[] Mean => (float[])_mean.Clone();

    /// <summary>The first principal axis, unit length (a copy).</summary>
    public float[] Component1 => (float[])_component1.Clone();

    /// <summary>The second principal axis, unit length and orthogonal to the first (a copy).</summary>
    public float[] Component2 => (float[])_component2.Clone();

    /// <summary>Variance along the first axis.</summary>
    public double Variance1 { get; }

    /// <summary>Variance along the second axis.</summary>
    public double Variance2 { get; }

    /// <summary>Total variance of the data (trace of the covariance).</summary>
    public double TotalVariance { get; }

    /// <summary>Share of the total variance the first axis explains (0 when the data do not vary).</summary>
    public double ExplainedRatio1 => TotalVariance > 0 ? Variance1 / TotalVariance : 0;

    /// <summary>Share of the total variance the second axis explains (0 when the data do not vary).</summary>
    public double ExplainedRatio2 => TotalVariance > 0 ? Variance2 / TotalVariance : 0;

    /// <summary>Fits the projection on a row-major n × <paramref name="d"/> block (n ≥ 1).</summary>
    /// <exception cref="ArgumentException">The block is empty, not a whole number of rows, or holds a non-finite value.</exception>
    public static Pca2 Fit(ReadOnlySpan<float> data, int d)
    {
        int n = RowBlock.CountRows(data, d);
        var mean = new double[d];
        for (int i = 0; i < data.Length; i++)
        {
            if (!float.IsFinite(data[i]))
                throw new ArgumentException($"Point {i / d} has the non-finite value {data[i]} in column {i % d}.", nameof(data));
            mean[i % d] += data[i];
        }
        for (int j = 0; j < d; j++) mean[j] /= n;

        var covariance = new double[d * d];
        var centred = new double[d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++) centred[j] = data[i * d + j] - mean[j];
            for (int a = 0; a < d; a++)
            {
                for (int b = a; b < d; b++) covariance[a * d + b] += centred[a] * centred[b];
            }
        }
        double denominator = Math.Max(1, n - 1);
        double trace = 0;
        for (int a = 0; a < d; a++)
        {
            for (int b = a; b < d; b++)
            {
                covariance[a * d + b] /= denominator;
                covariance[b * d + a] = covariance[a * d + b];
            }
            trace += covariance[a * d + a];
        }

        double[] v1 = LeadingEigenvector(covariance, d, null, out double lambda1);
        for (int a = 0; a < d; a++)
        {
            for (int b = 0; b < d; b++) covariance[a * d + b] -= lambda1 * v1[a] * v1[b];
        }
        double[] v2 = d > 1 ? LeadingEigenvector(covariance, d, v1, out double lambda2) : Zero(d, out lambda2);

        return new Pca2(ToFloat(mean), ToFloat(v1), ToFloat(v2), Math.Max(0, lambda1), Math.Max(0, lambda2), trace);
    }

    /// <summary>Projects one point onto the two axes. Allocates nothing.</summary>
    /// <exception cref="ArgumentException">The point length is not <see cref="Dimension"/>.</exception>
    public void Project(ReadOnlySpan<float> point, out float x, out float y)
    {
        if (point.Length != _mean.Length)
            throw new ArgumentException($"The point has {point.Length} values; the projection was fitted on {_mean.Length}.", nameof(point));
        double sx = 0, sy = 0;
        for (int j = 0; j < point.Length; j++)
        {
            double c = point[j] - _mean[j];
            sx += c * _component1[j];
            sy += c * _component2[j];
        }
        x = (float)sx;
        y = (float)sy;
    }

    /// <summary>Projects every row of a row-major block; returns n × 2 floats (x, y per row).</summary>
    /// <exception cref="ArgumentException">The block is not a whole number of rows.</exception>
    public float[] ProjectAll(ReadOnlySpan<float> data)
    {
        int d = _mean.Length;
        if (data.Length % d != 0)
            throw new ArgumentException($"The block has {data.Length} floats, not a multiple of the dimension {d}.", nameof(data));
        var result = new float[data.Length / d * 2];
        for (int i = 0; i < data.Length / d; i++) Project(data.Slice(i * d, d), out result[2 * i], out result[2 * i + 1]);
        return result;
    }

    private static double[] LeadingEigenvector(double[] matrix, int d, double[]? orthogonalTo, out double eigenvalue)
    {
        // A fixed, irregular start vector: unlikely to be orthogonal to the leading axis, and identical every run.
        var rng = new SplitMix64(0x5EED_9CA2UL);
        var v = new double[d];
        for (int j = 0; j < d; j++) v[j] = rng.NextDouble() + 0.5;
        Orthogonalise(v, orthogonalTo);
        if (!Normalise(v)) return Zero(d, out eigenvalue);

        var w = new double[d];
        eigenvalue = 0;
        for (int iteration = 0; iteration < MaxIterations; iteration++)
        {
            Multiply(matrix, d, v, w);
            Orthogonalise(w, orthogonalTo);
            double norm = Norm(w);
            if (norm < 1e-300)
            {
                eigenvalue = 0;
                break;
            }
            double change = 0;
            for (int j = 0; j < d; j++)
            {
                double next = w[j] / norm;
                change = Math.Max(change, Math.Abs(next - v[j]));
                v[j] = next;
            }
            eigenvalue = norm;
            if (change < Tolerance) break;
        }
        // Rayleigh quotient: the variance along v.
        Multiply(matrix, d, v, w);
        double rayleigh = 0;
        for (int j = 0; j < d; j++) rayleigh += v[j] * w[j];
        eigenvalue = rayleigh;

        int largest = 0;
        for (int j = 1; j < d; j++)
        {
            if (Math.Abs(v[j]) > Math.Abs(v[largest])) largest = j;
        }
        if (v[largest] < 0)
        {
            for (int j = 0; j < d; j++) v[j] = -v[j];
        }
        return v;
    }

    private static void Multiply(double[] matrix, int d, double[] v, double[] result)
    {
        for (int a = 0; a < d; a++)
        {
            double sum = 0;
            for (int b = 0; b < d; b++) sum += matrix[a * d + b] * v[b];
            result[a] = sum;
        }
    }

    private static void Orthogonalise(double[] v, double[]? axis)
    {
        if (axis is null) return;
        double dot = 0;
        for (int j = 0; j < v.Length; j++) dot += v[j] * axis[j];
        for (int j = 0; j < v.Length; j++) v[j] -= dot * axis[j];
    }

    private static double Norm(double[] v)
    {
        double sum = 0;
        foreach (double x in v) sum += x * x;
        return Math.Sqrt(sum);
    }

    private static bool Normalise(double[] v)
    {
        double norm = Norm(v);
        if (norm < 1e-300) return false;
        for (int j = 0; j < v.Length; j++) v[j] /= norm;
        return true;
    }

    private static double[] Zero(int d, out double eigenvalue)
    {
        eigenvalue = 0;
        return new double[d];
    }

    private static float[] ToFloat(double[] values)
    {
        var result = new float[values.Length];
        for (int j = 0; j < values.Length; j++) result[j] = (float)values[j];
        return result;
    }
}
