namespace MicroMoment.Clustering;

/// <summary>
/// SplitMix64: a tiny, fast, well-mixed 64-bit generator. Clustering uses it instead of System.Random so that
/// results depend only on the seed, never on the runtime's generator implementation.
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    /// <summary>Starts the sequence for <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="bound"/>) (multiply-shift; bias below 2^-32).</summary>
    public int NextInt(int bound)
    {
        System.Diagnostics.Debug.Assert(bound > 0);
        return (int)(((NextUInt64() >> 32) * (ulong)bound) >> 32);
    }

    /// <summary>Derives an independent seed for a numbered sub-task (e.g. one k of a sweep).</summary>
    public static ulong Derive(ulong seed, ulong stream)
    {
        var mix = new SplitMix64(seed ^ (stream * 0xD1B54A32D192ED03UL));
        return mix.NextUInt64();
    }
}
