namespace MicroMoment.Evaluation;

/// <summary>
/// SplitMix64 pseudo-random generator: tiny, fast and identical on every platform and runtime version,
/// which keeps resampling results reproducible for a given seed (unlike <see cref="System.Random"/>).
/// </summary>
internal sealed class SplitMix64
{
    private ulong _state;

    /// <summary>Creates a generator whose sequence is fully determined by <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), without modulo bias.</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bound), bound, "The bound must be positive.");
        }

        // Multiply-shift with rejection of the small biased zone.
        uint b = (uint)bound;
        ulong m = (Next() >> 32) * b;
        uint low = (uint)m;
        if (low < b)
        {
            uint threshold = (0u - b) % b;
            while (low < threshold)
            {
                m = (Next() >> 32) * b;
                low = (uint)m;
            }
        }

        return (int)(m >> 32);
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A standard normal draw (Box–Muller; one of the pair is discarded to keep the state simple).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
