namespace MicroMoment.Clustering;

/// <summary>
/// Runs work over fixed-size chunks of points. Chunk boundaries depend only on the point count, never on the
/// number of threads, so per-chunk partial sums reduced in chunk order give bit-identical results for any
/// degree of parallelism.
/// </summary>
internal static class ChunkedParallel
{
    /// <summary>Points per chunk.</summary>
    public const int ChunkSize = 1024;

    /// <summary>The number of chunks covering <paramref name="count"/> points.</summary>
    public static int ChunkCount(int count) => (count + ChunkSize - 1) / ChunkSize;

    /// <summary>Calls <paramref name="body"/>(chunk, start, end) for every chunk, on up to <paramref name="degreeOfParallelism"/> threads.</summary>
    public static void ForEachChunk(int count, int degreeOfParallelism, Action<int, int, int> body)
    {
        int chunks = ChunkCount(count);
        if (degreeOfParallelism <= 1 || chunks <= 1)
        {
            for (int c = 0; c < chunks; c++) body(c, c * ChunkSize, Math.Min(count, (c + 1) * ChunkSize));
            return;
        }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = degreeOfParallelism },
            c => body(c, c * ChunkSize, Math.Min(count, (c + 1) * ChunkSize)));
    }

    /// <summary>Sums per-chunk partials in chunk order.</summary>
    public static double OrderedSum(double[] partials)
    {
        double total = 0;
        for (int i = 0; i < partials.Length; i++) total += partials[i];
        return total;
    }
}
