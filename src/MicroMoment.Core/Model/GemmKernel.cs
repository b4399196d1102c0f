using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace MicroMoment.Model;

/// <summary>
/// Single-precision matrix product C = init + A·B with register-blocked SIMD micro-kernels.
/// A is addressed through strides (element (i, p) at <c>a[i * aRowStride + p * aColStride]</c>) so transposed
/// operands need no copy; B is row-major with leading dimension <c>ldb</c>; C is row-major with <c>ldc</c>.
/// init is C itself when accumulating, otherwise zero, plus an optional per-column bias.
/// Single-row products (M = 1) use a matrix-vector kernel with eight independent accumulators per column block
/// that first lists the non-zero entries of A without branches and then visits only those rows of B (one-hot
/// inputs are common in event features).
/// </summary>
[SkipLocalsInit]
internal static unsafe class GemmKernel
{
    /// <summary>Longest inner dimension whose non-zero indices the matrix-vector kernel lists on the stack.</summary>
    private const int MaxCompactedInner = 4096;

    /// <summary>Path chosen by <see cref="GemmPath.Auto"/> on this machine.</summary>
    public static GemmPath BestPath { get; } =
        Vector512.IsHardwareAccelerated ? GemmPath.Vector512
        : Vector256.IsHardwareAccelerated ? GemmPath.Vector256
        : GemmPath.Scalar;

    /// <summary>
    /// C[i, j] = (accumulate ? C[i, j] : 0) + bias[j] + Σ_p A[i, p] · B[p, j] for i &lt; m, j &lt; n, p &lt; k.
    /// C must not overlap A, B or bias.
    /// </summary>
    public static void Multiply(
        int m, int n, int k,
        ReadOnlySpan<float> a, int aRowStride, int aColStride,
        ReadOnlySpan<float> b, int ldb,
        Span<float> c, int ldc,
        bool accumulate = false,
        ReadOnlySpan<float> bias = default,
        GemmPath path = GemmPath.Auto)
    {
        Validate(m, n, k, a.Length, aRowStride, aColStride, b.Length, ldb, c.Length, ldc, bias.Length);
        if (m == 0 || n == 0)
        {
            return;
        }

        if (path == GemmPath.Auto)
        {
            path = BestPath;
        }

        fixed (float* pa = a, pb = b, pc = c, pbias = bias)
        {
            float* biasPointer = bias.IsEmpty ? null : pbias;
            switch (path)
            {
                case GemmPath.Vector512:
                    Multiply512(m, n, k, pa, aRowStride, aColStride, pb, ldb, pc, ldc, accumulate, biasPointer);
                    break;
                case GemmPath.Vector256:
                    Multiply256(m, n, k, pa, aRowStride, aColStride, pb, ldb, pc, ldc, accumulate, biasPointer);
                    break;
                case GemmPath.Scalar:
                    MultiplyScalar(m, n, k, pa, aRowStride, aColStride, pb, ldb, pc, ldc, accumulate, biasPointer);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(path), path, "Unknown GEMM path.");
            }
        }
    }

    private static void Validate(int m, int n, int k, int aLength, int ars, int acs, int bLength, int ldb, int cLength, int ldc, int biasLength)
    {
        if (m < 0 || n < 0 || k < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(m), $"Matrix sizes must be non-negative, but were m={m}, n={n}, k={k}.");
        }

        if (ars < 0 || acs < 0 || ldb < 0 || ldc < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ars), $"Strides must be non-negative, but were aRowStride={ars}, aColStride={acs}, ldb={ldb}, ldc={ldc}.");
        }

        if (m > 1 && ldc < n)
        {
            throw new ArgumentException($"ldc must be at least n={n} so rows of C do not overlap, but was {ldc}.", nameof(ldc));
        }

        long needA = m == 0 || k == 0 ? 0 : (long)(m - 1) * ars + (long)(k - 1) * acs + 1;
        long needB = k == 0 || n == 0 ? 0 : (long)(k - 1) * ldb + n;
        long needC = m == 0 || n == 0 ? 0 : (long)(m - 1) * ldc + n;
        if (aLength < needA)
        {
            throw new ArgumentException($"A needs at least {needA} floats for m={m}, k={k}, strides ({ars}, {acs}), but has {aLength}.", "a");
        }

        if (bLength < needB)
        {
            throw new ArgumentException($"B needs at least {needB} floats for k={k}, n={n}, ldb={ldb}, but has {bLength}.", "b");
        }

        if (cLength < needC)
        {
            throw new ArgumentException($"C needs at least {needC} floats for m={m}, n={n}, ldc={ldc}, but has {cLength}.", "c");
        }

        if (biasLength != 0 && biasLength < n)
        {
            throw new ArgumentException($"Bias must be empty or hold at least n={n} floats, but has {biasLength}.", "bias");
        }
    }

    private static void MultiplyScalar(int m, int n, int k, float* a, nint ars, nint acs, float* b, nint ldb, float* c, nint ldc, bool accumulate, float* bias)
    {
        for (int i = 0; i < m; i++)
        {
            float* row = c + i * ldc;
            for (int j = 0; j < n; j++)
            {
                float init = accumulate ? row[j] : 0f;
                row[j] = bias == null ? init : init + bias[j];
            }

            float* aRow = a + i * ars;
            for (int p = 0; p < k; p++)
            {
                float x = aRow[p * acs];
                float* bRow = b + p * ldb;
                for (int j = 0; j < n; j++)
                {
                    row[j] += x * bRow[j];
                }
            }
        }
    }

    private static void Multiply256(int m, int n, int k, float* a, nint ars, nint acs, float* b, nint ldb, float* c, nint ldc, bool accumulate, float* bias)
    {
        if (m == 1)
        {
            Gemv256(n, k, a, acs, b, ldb, c, accumulate, bias);
            return;
        }

        int j = 0;
        for (; j + 16 <= n; j += 16)
        {
            float* biasJ = bias == null ? null : bias + j;
            int i = 0;
            for (; i + 6 <= m; i += 6)
            {
                Kernel6x16(k, a + i * ars, ars, acs, b + j, ldb, c + i * ldc + j, ldc, accumulate, biasJ);
            }

            for (; i < m; i++)
            {
                Kernel1x16(k, a + i * ars, acs, b + j, ldb, c + i * ldc + j, accumulate, biasJ);
            }
        }

        if (j < n)
        {
            for (int i = 0; i < m; i++)
            {
                RowTail256(n - j, k, a + i * ars, acs, b + j, ldb, c + i * ldc + j, accumulate, bias == null ? null : bias + j);
            }
        }
    }

    private static void Multiply512(int m, int n, int k, float* a, nint ars, nint acs, float* b, nint ldb, float* c, nint ldc, bool accumulate, float* bias)
    {
        if (m == 1)
        {
            Gemv512(n, k, a, acs, b, ldb, c, accumulate, bias);
            return;
        }

        int j = 0;
        for (; j + 32 <= n; j += 32)
        {
            float* biasJ = bias == null ? null : bias + j;
            int i = 0;
            for (; i + 6 <= m; i += 6)
            {
                Kernel6x32(k, a + i * ars, ars, acs, b + j, ldb, c + i * ldc + j, ldc, accumulate, biasJ);
            }

            for (; i < m; i++)
            {
                Kernel1x32(k, a + i * ars, acs, b + j, ldb, c + i * ldc + j, accumulate, biasJ);
            }
        }

        if (j < n)
        {
            Multiply256(m, n - j, k, a, ars, acs, b + j, ldb, c + j, ldc, accumulate, bias == null ? null : bias + j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Init256(float* c, float* bias, bool accumulate)
    {
        Vector256<float> v = accumulate ? Vector256.Load(c) : Vector256<float>.Zero;
        return bias == null ? v : v + Vector256.Load(bias);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Init512(float* c, float* bias, bool accumulate)
    {
        Vector512<float> v = accumulate ? Vector512.Load(c) : Vector512<float>.Zero;
        return bias == null ? v : v + Vector512.Load(bias);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float InitScalar(float* c, float* bias, bool accumulate)
    {
        float v = accumulate ? *c : 0f;
        return bias == null ? v : v + *bias;
    }

    private static void Kernel1x16(int k, float* a, nint acs, float* b, nint ldb, float* c, bool accumulate, float* bias)
    {
        Vector256<float> r0 = Init256(c, bias, accumulate), r1 = Init256(c + 8, bias == null ? null : bias + 8, accumulate);
        for (int p = 0; p < k; p++)
        {
            Vector256<float> x = Vector256.Create(*a);
            r0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b), r0);
            r1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(b + 8), r1);
            a += acs;
            b += ldb;
        }

        r0.Store(c);
        r1.Store(c + 8);
    }

    private static void Kernel1x32(int k, float* a, nint acs, float* b, nint ldb, float* c, bool accumulate, float* bias)
    {
        Vector512<float> r0 = Init512(c, bias, accumulate), r1 = Init512(c + 16, bias == null ? null : bias + 16, accumulate);
        for (int p = 0; p < k; p++)
        {
            Vector512<float> x = Vector512.Create(*a);
            r0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b), r0);
            r1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(b + 16), r1);
            a += acs;
            b += ldb;
        }

        r0.Store(c);
        r1.Store(c + 16);
    }

    /// <summary>One row of C over fewer than 16 columns: an 8-wide vector if it fits, then scalars.</summary>
    private static void RowTail256(int width, int k, float* a, nint acs, float* b, nint ldb, float* c, bool accumulate, float* bias)
    {
        int j = 0;
        for (; j + 8 <= width; j += 8)
        {
            float* biasJ = bias == null ? null : bias + j;
            Vector256<float> r = Init256(c + j, biasJ, accumulate);
            float* ap = a;
            float* bp = b + j;
            for (int p = 0; p < k; p++)
            {
                r = Vector256.FusedMultiplyAdd(Vector256.Create(*ap), Vector256.Load(bp), r);
                ap += acs;
                bp += ldb;
            }

            r.Store(c + j);
        }

        for (; j < width; j++)
        {
            float r = InitScalar(c + j, bias == null ? null : bias + j, accumulate);
            float* ap = a;
            float* bp = b + j;
            for (int p = 0; p < k; p++)
            {
                r = MathF.FusedMultiplyAdd(*ap, *bp, r);
                ap += acs;
                bp += ldb;
            }

            c[j] = r;
        }
    }

    /// <summary>c (1 × n) = init + a (1 × k) · B (k × n); eight accumulators per 64-column block; zero entries of a are skipped.</summary>
    private static void Gemv256(int n, int k, float* a, nint acs, float* b, nint ldb, float* c, bool accumulate, float* bias)
    {
        int count = acs == 1 && k <= MaxCompactedInner ? CountNonZero(k, a) : k;
        if (count < k)
        {
            float* values = stackalloc float[count];
            nint* rows = stackalloc nint[count];
            CompactNonZero(k, a, ldb, values, rows);
            Gemv256(n, count, values, rows, b, c, accumulate, bias);
            return;
        }

        int j = 0;
        for (; j + 64 <= n; j += 64)
        {
            float* cj = c + j;
            float* bj = bias == null ? null : bias + j;
            Vector256<float> r0 = Init256(cj, bj, accumulate);
            Vector256<float> r1 = Init256(cj + 8, bj == null ? null : bj + 8, accumulate);
            Vector256<float> r2 = Init256(cj + 16, bj == null ? null : bj + 16, accumulate);
            Vector256<float> r3 = Init256(cj + 24, bj == null ? null : bj + 24, accumulate);
            Vector256<float> r4 = Init256(cj + 32, bj == null ? null : bj + 32, accumulate);
            Vector256<float> r5 = Init256(cj + 40, bj == null ? null : bj + 40, accumulate);
            Vector256<float> r6 = Init256(cj + 48, bj == null ? null : bj + 48, accumulate);
            Vector256<float> r7 = Init256(cj + 56, bj == null ? null : bj + 56, accumulate);
            float* ap = a;
            float* bp = b + j;
            for (int p = 0; p < k; p++, ap += acs, bp += ldb)
            {
                Vector256<float> x = Vector256.Create(*ap);
                r0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp), r0);
                r1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 8), r1);
                r2 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 16), r2);
                r3 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 24), r3);
                r4 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 32), r4);
                r5 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 40), r5);
                r6 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 48), r6);
                r7 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 56), r7);
            }

            r0.Store(cj);
            r1.Store(cj + 8);
            r2.Store(cj + 16);
            r3.Store(cj + 24);
            r4.Store(cj + 32);
            r5.Store(cj + 40);
            r6.Store(cj + 48);
            r7.Store(cj + 56);
        }

        for (; j + 32 <= n; j += 32)
        {
            float* cj = c + j;
            float* bj = bias == null ? null : bias + j;
            Vector256<float> r0 = Init256(cj, bj, accumulate);
            Vector256<float> r1 = Init256(cj + 8, bj == null ? null : bj + 8, accumulate);
            Vector256<float> r2 = Init256(cj + 16, bj == null ? null : bj + 16, accumulate);
            Vector256<float> r3 = Init256(cj + 24, bj == null ? null : bj + 24, accumulate);
            float* ap = a;
            float* bp = b + j;
            for (int p = 0; p < k; p++, ap += acs, bp += ldb)
            {
                Vector256<float> x = Vector256.Create(*ap);
                r0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp), r0);
                r1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 8), r1);
                r2 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 16), r2);
                r3 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 24), r3);
            }

            r0.Store(cj);
            r1.Store(cj + 8);
            r2.Store(cj + 16);
            r3.Store(cj + 24);
        }

        if (j < n)
        {
            RowTail256(n - j, k, a, acs, b + j, ldb, c + j, accumulate, bias == null ? null : bias + j);
        }
    }

    /// <summary>Number of non-zero entries of a contiguous vector.</summary>
    private static int CountNonZero(int k, float* a)
    {
        int count = 0, p = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; p + 8 <= k; p += 8)
            {
                uint zeros = Vector256.Equals(Vector256.Load(a + p), Vector256<float>.Zero).ExtractMostSignificantBits();
                count += 8 - BitOperations.PopCount(zeros);
            }
        }

        for (; p < k; p++)
        {
            count += a[p] != 0f ? 1 : 0;
        }

        return count;
    }

    /// <summary>Lists the non-zero entries of a contiguous vector: values and the offsets p · ldb of their rows of B.</summary>
    private static void CompactNonZero(int k, float* a, nint ldb, float* values, nint* rows)
    {
        int count = 0, p = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; p + 8 <= k; p += 8)
            {
                uint nonZero = ~Vector256.Equals(Vector256.Load(a + p), Vector256<float>.Zero).ExtractMostSignificantBits() & 0xFFu;
                while (nonZero != 0)
                {
                    int index = p + BitOperations.TrailingZeroCount(nonZero);
                    values[count] = a[index];
                    rows[count] = index * ldb;
                    count++;
                    nonZero &= nonZero - 1;
                }
            }
        }

        for (; p < k; p++)
        {
            if (a[p] != 0f)
            {
                values[count] = a[p];
                rows[count] = p * ldb;
                count++;
            }
        }
    }

    /// <summary>Matrix-vector kernel over the listed non-zero entries of a.</summary>
    private static void Gemv256(int n, int count, float* values, nint* rows, float* b, float* c, bool accumulate, float* bias)
    {
        int j = 0;
        for (; j + 64 <= n; j += 64)
        {
            float* cj = c + j;
            float* bj = bias == null ? null : bias + j;
            Vector256<float> r0 = Init256(cj, bj, accumulate);
            Vector256<float> r1 = Init256(cj + 8, bj == null ? null : bj + 8, accumulate);
            Vector256<float> r2 = Init256(cj + 16, bj == null ? null : bj + 16, accumulate);
            Vector256<float> r3 = Init256(cj + 24, bj == null ? null : bj + 24, accumulate);
            Vector256<float> r4 = Init256(cj + 32, bj == null ? null : bj + 32, accumulate);
            Vector256<float> r5 = Init256(cj + 40, bj == null ? null : bj + 40, accumulate);
            Vector256<float> r6 = Init256(cj + 48, bj == null ? null : bj + 48, accumulate);
            Vector256<float> r7 = Init256(cj + 56, bj == null ? null : bj + 56, accumulate);
            for (int q = 0; q < count; q++)
            {
                float* bp = b + rows[q] + j;
                Vector256<float> x = Vector256.Create(values[q]);
                r0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp), r0);
                r1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 8), r1);
                r2 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 16), r2);
                r3 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 24), r3);
                r4 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 32), r4);
                r5 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 40), r5);
                r6 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 48), r6);
                r7 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 56), r7);
            }

            r0.Store(cj);
            r1.Store(cj + 8);
            r2.Store(cj + 16);
            r3.Store(cj + 24);
            r4.Store(cj + 32);
            r5.Store(cj + 40);
            r6.Store(cj + 48);
            r7.Store(cj + 56);
        }

        for (; j + 32 <= n; j += 32)
        {
            float* cj = c + j;
            float* bj = bias == null ? null : bias + j;
            Vector256<float> r0 = Init256(cj, bj, accumulate);
            Vector256<float> r1 = Init256(cj + 8, bj == null ? null : bj + 8, accumulate);
            Vector256<float> r2 = Init256(cj + 16, bj == null ? null : bj + 16, accumulate);
            Vector256<float> r3 = Init256(cj + 24, bj == null ? null : bj + 24, accumulate);
            for (int q = 0; q < count; q++)
            {
                float* bp = b + rows[q] + j;
                Vector256<float> x = Vector256.Create(values[q]);
                r0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp), r0);
                r1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 8), r1);
                r2 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 16), r2);
                r3 = Vector256.FusedMultiplyAdd(x, Vector256.Load(bp + 24), r3);
            }

            r0.Store(cj);
            r1.Store(cj + 8);
            r2.Store(cj + 16);
            r3.Store(cj + 24);
        }

        for (; j + 8 <= n; j += 8)
        {
            Vector256<float> r = Init256(c + j, bias == null ? null : bias + j, accumulate);
            for (int q = 0; q < count; q++)
            {
                r = Vector256.FusedMultiplyAdd(Vector256.Create(values[q]), Vector256.Load(b + rows[q] + j), r);
            }

            r.Store(c + j);
        }

        for (; j < n; j++)
        {
            float r = InitScalar(c + j, bias == null ? null : bias + j, accumulate);
            for (int q = 0; q < count; q++)
            {
                r = MathF.FusedMultiplyAdd(values[q], b[rows[q] + j], r);
            }

            c[j] = r;
        }
    }

    /// <summary>512-bit matrix-vector kernel: eight accumulators per 128-column block, remainder on the 256-bit kernel.</summary>
    private static void Gemv512(int n, int k, float* a, nint acs, float* b, nint ldb, float* c, bool accumulate, float* bias)
    {
        // Too long or strided a, or no zeros to skip: the 256-bit kernel's dense loop. Otherwise list the non-zeros.
        int count = acs == 1 && k <= MaxCompactedInner ? CountNonZero(k, a) : k;
        if (count == k)
        {
            Gemv256(n, k, a, acs, b, ldb, c, accumulate, bias);
            return;
        }

        float* values = stackalloc float[count];
        nint* rows = stackalloc nint[count];
        CompactNonZero(k, a, ldb, values, rows);
        int j = 0;
        for (; j + 128 <= n; j += 128)
        {
            float* cj = c + j;
            float* bj = bias == null ? null : bias + j;
            Vector512<float> r0 = Init512(cj, bj, accumulate);
            Vector512<float> r1 = Init512(cj + 16, bj == null ? null : bj + 16, accumulate);
            Vector512<float> r2 = Init512(cj + 32, bj == null ? null : bj + 32, accumulate);
            Vector512<float> r3 = Init512(cj + 48, bj == null ? null : bj + 48, accumulate);
            Vector512<float> r4 = Init512(cj + 64, bj == null ? null : bj + 64, accumulate);
            Vector512<float> r5 = Init512(cj + 80, bj == null ? null : bj + 80, accumulate);
            Vector512<float> r6 = Init512(cj + 96, bj == null ? null : bj + 96, accumulate);
            Vector512<float> r7 = Init512(cj + 112, bj == null ? null : bj + 112, accumulate);
            for (int q = 0; q < count; q++)
            {
                float* bp = b + rows[q] + j;
                Vector512<float> x = Vector512.Create(values[q]);
                r0 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp), r0);
                r1 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp + 16), r1);
                r2 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp + 32), r2);
                r3 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp + 48), r3);
                r4 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp + 64), r4);
                r5 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp + 80), r5);
                r6 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp + 96), r6);
                r7 = Vector512.FusedMultiplyAdd(x, Vector512.Load(bp + 112), r7);
            }

            r0.Store(cj);
            r1.Store(cj + 16);
            r2.Store(cj + 32);
            r3.Store(cj + 48);
            r4.Store(cj + 64);
            r5.Store(cj + 80);
            r6.Store(cj + 96);
            r7.Store(cj + 112);
        }

        if (j < n)
        {
            Gemv256(n - j, count, values, rows, b + j, c + j, accumulate, bias == null ? null : bias + j);
        }
    }

    private static void Kernel6x16(int k, float* a, nint ars, nint acs, float* b, nint ldb, float* c, nint ldc, bool accumulate, float* bias)
    {
        float* bias1 = bias == null ? null : bias + 8;
        float* c0 = c + 0 * ldc;
        float* c1 = c + 1 * ldc;
        float* c2 = c + 2 * ldc;
        float* c3 = c + 3 * ldc;
        float* c4 = c + 4 * ldc;
        float* c5 = c + 5 * ldc;
        Vector256<float> r00 = Init256(c0, bias, accumulate), r01 = Init256(c0 + 8, bias1, accumulate);
        Vector256<float> r10 = Init256(c1, bias, accumulate), r11 = Init256(c1 + 8, bias1, accumulate);
        Vector256<float> r20 = Init256(c2, bias, accumulate), r21 = Init256(c2 + 8, bias1, accumulate);
        Vector256<float> r30 = Init256(c3, bias, accumulate), r31 = Init256(c3 + 8, bias1, accumulate);
        Vector256<float> r40 = Init256(c4, bias, accumulate), r41 = Init256(c4 + 8, bias1, accumulate);
        Vector256<float> r50 = Init256(c5, bias, accumulate), r51 = Init256(c5 + 8, bias1, accumulate);
        float* a0 = a + 0 * ars;
        float* a1 = a + 1 * ars;
        float* a2 = a + 2 * ars;
        float* a3 = a + 3 * ars;
        float* a4 = a + 4 * ars;
        float* a5 = a + 5 * ars;
        nint offset = 0;
        for (int p = 0; p < k; p++)
        {
            Vector256<float> b0 = Vector256.Load(b), b1 = Vector256.Load(b + 8);
            b += ldb;
            Vector256<float> x0 = Vector256.Create(a0[offset]);
            r00 = Vector256.FusedMultiplyAdd(x0, b0, r00);
            r01 = Vector256.FusedMultiplyAdd(x0, b1, r01);
            Vector256<float> x1 = Vector256.Create(a1[offset]);
            r10 = Vector256.FusedMultiplyAdd(x1, b0, r10);
            r11 = Vector256.FusedMultiplyAdd(x1, b1, r11);
            Vector256<float> x2 = Vector256.Create(a2[offset]);
            r20 = Vector256.FusedMultiplyAdd(x2, b0, r20);
            r21 = Vector256.FusedMultiplyAdd(x2, b1, r21);
            Vector256<float> x3 = Vector256.Create(a3[offset]);
            r30 = Vector256.FusedMultiplyAdd(x3, b0, r30);
            r31 = Vector256.FusedMultiplyAdd(x3, b1, r31);
            Vector256<float> x4 = Vector256.Create(a4[offset]);
            r40 = Vector256.FusedMultiplyAdd(x4, b0, r40);
            r41 = Vector256.FusedMultiplyAdd(x4, b1, r41);
            Vector256<float> x5 = Vector256.Create(a5[offset]);
            r50 = Vector256.FusedMultiplyAdd(x5, b0, r50);
            r51 = Vector256.FusedMultiplyAdd(x5, b1, r51);
            offset += acs;
        }

        r00.Store(c0);
        r01.Store(c0 + 8);
        r10.Store(c1);
        r11.Store(c1 + 8);
        r20.Store(c2);
        r21.Store(c2 + 8);
        r30.Store(c3);
        r31.Store(c3 + 8);
        r40.Store(c4);
        r41.Store(c4 + 8);
        r50.Store(c5);
        r51.Store(c5 + 8);
    }

    private static void Kernel6x32(int k, float* a, nint ars, nint acs, float* b, nint ldb, float* c, nint ldc, bool accumulate, float* bias)
    {
        float* bias1 = bias == null ? null : bias + 16;
        float* c0 = c + 0 * ldc;
        float* c1 = c + 1 * ldc;
        float* c2 = c + 2 * ldc;
        float* c3 = c + 3 * ldc;
        float* c4 = c + 4 * ldc;
        float* c5 = c + 5 * ldc;
        Vector512<float> r00 = Init512(c0, bias, accumulate), r01 = Init512(c0 + 16, bias1, accumulate);
        Vector512<float> r10 = Init512(c1, bias, accumulate), r11 = Init512(c1 + 16, bias1, accumulate);
        Vector512<float> r20 = Init512(c2, bias, accumulate), r21 = Init512(c2 + 16, bias1, accumulate);
        Vector512<float> r30 = Init512(c3, bias, accumulate), r31 = Init512(c3 + 16, bias1, accumulate);
        Vector512<float> r40 = Init512(c4, bias, accumulate), r41 = Init512(c4 + 16, bias1, accumulate);
        Vector512<float> r50 = Init512(c5, bias, accumulate), r51 = Init512(c5 + 16, bias1, accumulate);
        float* a0 = a + 0 * ars;
        float* a1 = a + 1 * ars;
        float* a2 = a + 2 * ars;
        float* a3 = a + 3 * ars;
        float* a4 = a + 4 * ars;
        float* a5 = a + 5 * ars;
        nint offset = 0;
        for (int p = 0; p < k; p++)
        {
            Vector512<float> b0 = Vector512.Load(b), b1 = Vector512.Load(b + 16);
            b += ldb;
            Vector512<float> x0 = Vector512.Create(a0[offset]);
            r00 = Vector512.FusedMultiplyAdd(x0, b0, r00);
            r01 = Vector512.FusedMultiplyAdd(x0, b1, r01);
            Vector512<float> x1 = Vector512.Create(a1[offset]);
            r10 = Vector512.FusedMultiplyAdd(x1, b0, r10);
            r11 = Vector512.FusedMultiplyAdd(x1, b1, r11);
            Vector512<float> x2 = Vector512.Create(a2[offset]);
            r20 = Vector512.FusedMultiplyAdd(x2, b0, r20);
            r21 = Vector512.FusedMultiplyAdd(x2, b1, r21);
            Vector512<float> x3 = Vector512.Create(a3[offset]);
            r30 = Vector512.FusedMultiplyAdd(x3, b0, r30);
            r31 = Vector512.FusedMultiplyAdd(x3, b1, r31);
            Vector512<float> x4 = Vector512.Create(a4[offset]);
            r40 = Vector512.FusedMultiplyAdd(x4, b0, r40);
            r41 = Vector512.FusedMultiplyAdd(x4, b1, r41);
            Vector512<float> x5 = Vector512.Create(a5[offset]);
            r50 = Vector512.FusedMultiplyAdd(x5, b0, r50);
            r51 = Vector512.FusedMultiplyAdd(x5, b1, r51);
            offset += acs;
        }

        r00.Store(c0);
        r01.Store(c0 + 16);
        r10.Store(c1);
        r11.Store(c1 + 16);
        r20.Store(c2);
        r21.Store(c2 + 16);
        r30.Store(c3);
        r31.Store(c3 + 16);
        r40.Store(c4);
        r41.Store(c4 + 16);
        r50.Store(c5);
        r51.Store(c5 + 16);
    }}
