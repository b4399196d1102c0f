namespace MicroMoment.Data;

/// <summary>
/// A small deterministic pseudo-random generator (SplitMix64) used by the synthetic traffic generator, so that
/// a seed gives the same traffic on every runtime and platform, independent of <see cref="Random"/>'s algorithm.
/// </summary>
internal sealed class SplitMixRandom
{
    private ulong _state;

    /// <summary>Creates a generator from a seed and a stream number (e.g. a user index) so streams are independent.</summary>
    public SplitMixRandom(long seed, long stream = 0)
    {
        _state = Mix((ulong)seed ^ Mix((ulong)stream + 0x632BE59BD9B4E019UL));
    }

    /// <summary>A uniformly random 64-bit value.</summary>
    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="count"/>).</summary>
    public int Next(int count)
    {
        if (count <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The count must be positive.");
        }

        return (int)((NextUInt64() >> 33) % (ulong)count);
    }

    /// <summary>True with probability <paramref name="p"/>.</summary>
    public bool Chance(double p) => NextDouble() < p;

    /// <summary>A standard normal deviate (Box-Muller).</summary>
    public double NextNormal()
    {
        double u1 = 1.0 - NextDouble();
        double u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A log-normal deviate with the given median and log-space standard deviation.</summary>
    public double NextLogNormal(double median, double sigma) => median * Math.Exp(sigma * NextNormal());

    /// <summary>An exponential deviate with the given mean.</summary>
    public double NextExponential(double mean) => -mean * Math.Log(1.0 - NextDouble());

    /// <summary>A Poisson deviate (Knuth's method; fine for the small means used here).</summary>
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

    /// <summary>An index drawn with probability proportional to <paramref name="weights"/>.</summary>
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

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
