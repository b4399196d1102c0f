using MicroMoment.Numerics;

namespace MicroMoment.Tests.Clustering;

/// <summary>Generates Gaussian blobs around given centres with the project's own RNG.</summary>
internal static class Blobs
{
    public static float[] Make(float[][] centres, int perBlob, double spread, ulong seed, out int[] truth)
    {
        int d = centres[0].Length;
        var rng = new SplitMix64(seed);
        var data = new float[centres.Length * perBlob * d];
        truth = new int[centres.Length * perBlob];
        int row = 0;
        // Interleave blobs so no algorithm can lean on input order.
        for (int i = 0; i < perBlob; i++)
        {
            for (int b = 0; b < centres.Length; b++)
            {
                for (int j = 0; j < d; j++) data[row * d + j] = centres[b][j] + (float)(spread * rng.NextGaussian());
                truth[row] = b;
                row++;
            }
        }
        return data;
    }

    public static float[][] ThreeCentres => [[0f, 0f, 0f, 0f], [10f, 10f, 0f, 0f], [0f, 10f, 10f, 5f]];
}
