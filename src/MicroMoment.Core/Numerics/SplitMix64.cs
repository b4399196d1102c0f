namespace MicroMoment.Numerics;

/// <summary>
/// The project's one pseudo-random generator (SplitMix64): tiny, fast, well mixed and identical on every platform and
/// runtime version, so every result depends only on its seed, never on <see cref="System.Random"/>'s algorithm.
/// Used for weight initialisation, shuffling, K-Means seeding, bootstrap resampling, splits and synthetic traffic.
/// </summary>
/// <remarks>
/// This is a mutable struct: a copy continues the same sequence independently, so pass it by <c>ref</c> (or keep it in
/// a field and call it there) wherever the caller must see the draws made by a helper.
/// </remarks>
internal struct SplitMix64
{
    private const ulong Increment = 0x9E3779B97F4A7C15UL;
    private const ulong StreamMultiplier = 0xD1B54A32D192ED03UL;

    private ulong _state;

    /// <summary>Starts the sequence fully determined by <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>Starts the sequence of stream <paramref name="stream"/> of <paramref name="seed"/> (see <see cref="Derive"/>).</summary>
    public SplitMix64(ulong seed, ulong stream) => _state = Derive(seed, stream);

    /// <summary>Derives an independent seed for a numbered sub-task or stream (e.g. one k of a sweep, one user).</summary>
    public static ulong Derive(ulong seed, ulong stream) => Mix((seed ^ (stream * StreamMultiplier)) + Increment);

    /// <summary>The SplitMix64 output finaliser: a bijective 64-bit mix that spreads nearby inputs over all bits.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 uniformly distributed bits.</summary>
    public ulong NextUInt64() => Mix(_state += Increment);

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform float in [0, 1) with 24 random bits.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>A uniform float in [-<paramref name="limit"/>, <paramref name="limit"/>).</summary>
    public float NextSymmetric(float limit) => (2f * NextSingle() - 1f) * limit;

    /// <summary>A uniform integer in [0, <paramref name="bound"/>) without modulo bias (Lemire's multiply-shift with rejection).</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bound), bound, "Expected a positive exclusive upper bound.");
        }

        ulong range = (ulong)bound;
        ulong high = Math.BigMul(NextUInt64(), range, out ulong low);
        if (low < range)
        {
            // Only this rare zone can be biased: reject the draws below 2^64 mod range.
            ulong threshold = (0UL - range) % range;
            while (low < threshold)
            {
                high = Math.BigMul(NextUInt64(), range, out low);
            }
        }

        return (int)high;
    }

    /// <summary>True with probability <paramref name="probability"/>.</summary>
    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>Fisher-Yates shuffle of <paramref name="values"/> in place.</summary>
    public void Shuffle<T>(Span<T> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary>A standard normal draw (Box-Muller; the second value of the pair is discarded to keep the state one word).</summary>
    public double NextGaussian()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A log-normal draw with the given median and log-space standard deviation.</summary>
    public double NextLogNormal(double median, double sigma) => median * Math.Exp(sigma * NextGaussian());

    /// <summary>An exponential draw with the given mean.</summary>
    public double NextExponential(double mean) => -mean * Math.Log(1.0 - NextDouble());

    /// <summary>A Poisson draw (Knuth's product method; meant for small means).</summary>
    public int NextPoisson(double mean)
    {
        double limit = Math.Exp(-mean);
        double product = NextDouble();
        int count = 0;
        while (product > limit)
        {
            count++;
            product *= NextDouble();
        }

        return count;
    }

    /// <summary>An index drawn with probability proportional to the non-negative <paramref name="weights"/>.</summary>
    public int NextWeighted(ReadOnlySpan<double> weights)
    {
        double total = 0;
        foreach (double w in weights)
        {
            total += w;
        }

        double x = NextDouble() * total;
        for (int i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }
}
