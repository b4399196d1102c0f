using MicroMoment.Model;

namespace MicroMoment.Tests.Model;

public class GemmKernelTests
{
    public static TheoryData<int> Paths => new() { (int)GemmPath.Vector512, (int)GemmPath.Vector256, (int)GemmPath.Scalar };

    [Theory]
    [MemberData(nameof(Paths))]
    public void KernelMatchesScalarReferenceAtEveryRowAndColumnCountUpTo64(int pathValue)
    {
        var path = (GemmPath)pathValue;
        var rng = new Random(1234);
        for (int m = 0; m <= 64; m++)
        {
            for (int n = 0; n <= 64; n++)
            {
                int k = (m * 7 + n * 3) % 11;
                bool accumulate = (m + n) % 3 == 0;
                bool bias = (m + n) % 2 == 1;
                CheckProduct(rng, path, m, n, k, transposeA: (m * n) % 4 == 1, accumulate, bias);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void KernelMatchesScalarReferenceAtEveryInnerSizeUpTo64(int pathValue)
    {
        var path = (GemmPath)pathValue;
        var rng = new Random(99);
        for (int k = 0; k <= 64; k++)
        {
            foreach ((int m, int n) in new[] { (1, 256), (1, 37), (6, 16), (13, 48), (7, 33), (2, 130) })
            {
                CheckProduct(rng, path, m, n, k, transposeA: k % 2 == 0, accumulate: k % 3 == 0, bias: k % 4 < 2);
            }
        }
    }

    [Fact]
    public void AutoPathAgreesWithScalarPathOnAnLstmSizedProduct()
    {
        var rng = new Random(5);
        CheckProduct(rng, GemmPath.Auto, 256, 256, 124, transposeA: false, accumulate: false, bias: true);
        CheckProduct(rng, GemmPath.Auto, 60, 256, 37, transposeA: true, accumulate: true, bias: false);
    }

    [Fact]
    public void TooShortOperandsAreRejectedWithTheNeededLength()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            GemmKernel.Multiply(2, 3, 4, new float[7], 4, 1, new float[12], 3, new float[6], 3));
        Assert.Contains("at least 8", ex.Message);
        Assert.Contains("has 7", ex.Message);

        ex = Assert.Throws<ArgumentException>(() =>
            GemmKernel.Multiply(2, 3, 4, new float[8], 4, 1, new float[12], 3, new float[5], 3));
        Assert.Contains("C needs at least 6", ex.Message);
    }

    private static void CheckProduct(Random rng, GemmPath path, int m, int n, int k, bool transposeA, bool accumulate, bool bias)
    {
        // Padded leading dimensions so strides differ from the logical sizes.
        int lda = k + 3, ldb = n + 5, ldc = n + 2;
        int aRowStride = transposeA ? 1 : lda;
        int aColStride = transposeA ? m + 1 : 1;
        float[] a = Random(rng, transposeA ? Math.Max(1, (k + 1) * (m + 1)) : Math.Max(1, m * lda));
        float[] b = Random(rng, Math.Max(1, k * ldb));
        float[] c = Random(rng, Math.Max(1, m * ldc));
        float[] biasValues = bias ? Random(rng, n) : [];
        var before = (float[])c.Clone();

        GemmKernel.Multiply(m, n, k, a, aRowStride, aColStride, b, ldb, c, ldc, accumulate, biasValues, path);

        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double init = (accumulate ? before[i * ldc + j] : 0) + (bias ? biasValues[j] : 0);
                double sum = init, magnitude = Math.Abs(init);
                for (int p = 0; p < k; p++)
                {
                    double product = (double)a[i * aRowStride + p * aColStride] * b[p * ldb + j];
                    sum += product;
                    magnitude += Math.Abs(product);
                }

                double tolerance = 1e-5 * magnitude + 1e-7;
                double actual = c[i * ldc + j];
                if (!(Math.Abs(actual - sum) <= tolerance))
                {
                    Assert.Fail($"{path} m={m} n={n} k={k}: C[{i},{j}] = {actual}, expected {sum} (tolerance {tolerance}).");
                }
            }

            // Padding columns of C are untouched.
            for (int j = n; j < ldc && i * ldc + j < c.Length; j++)
            {
                if (before[i * ldc + j] != c[i * ldc + j])
                {
                    Assert.Fail($"{path} m={m} n={n} k={k}: padding C[{i},{j}] was overwritten.");
                }
            }
        }
    }

    private static float[] Random(Random rng, int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++)
        {
            // A quarter exact zeros exercises the zero-skipping matrix-vector kernel.
            values[i] = rng.Next(4) == 0 ? 0f : (float)(rng.NextDouble() * 2 - 1);
        }

        return values;
    }
}
