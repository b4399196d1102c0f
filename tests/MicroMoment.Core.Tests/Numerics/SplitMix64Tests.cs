using MicroMoment.Numerics;

namespace MicroMoment.Tests.Numerics;

public class SplitMix64Tests
{
    [Fact]
    public void TheSameSeedGivesTheSameSequenceAndACopyContinuesIndependently()
    {
        var a = new SplitMix64(42);
        var b = new SplitMix64(42);
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());

        var copy = a;
        ulong fromCopy = copy.NextUInt64();
        Assert.Equal(fromCopy, a.NextUInt64());
    }

    [Fact]
    public void DerivedStreamsDifferFromEachOtherAndFromTheSeed()
    {
        var seeds = Enumerable.Range(0, 1000).Select(s => SplitMix64.Derive(7, (ulong)s)).ToHashSet();
        Assert.Equal(1000, seeds.Count);
        Assert.DoesNotContain(7UL, seeds);
        Assert.Equal(new SplitMix64(SplitMix64.Derive(7, 3)).NextUInt64(), new SplitMix64(7, 3).NextUInt64());
    }

    [Fact]
    public void NextIntStaysBelowTheBoundAndHitsEveryValueEvenly()
    {
        var rng = new SplitMix64(1);
        var counts = new int[3];
        for (int i = 0; i < 30_000; i++) counts[rng.NextInt(3)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_700, 10_300));
        for (int i = 0; i < 1000; i++) Assert.InRange(rng.NextInt(int.MaxValue), 0, int.MaxValue - 1);
        Assert.Equal(0, rng.NextInt(1));
    }

    [Fact]
    public void NextIntRejectsANonPositiveBound()
    {
        var rng = new SplitMix64(1);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextInt(0));
        Assert.Equal("bound", ex.ParamName);
    }

    [Fact]
    public void ShuffleIsAPermutationThatMovesElements()
    {
        var rng = new SplitMix64(5);
        int[] values = Enumerable.Range(0, 100).ToArray();
        rng.Shuffle(values.AsSpan());
        Assert.Equal(Enumerable.Range(0, 100), values.Order());
        Assert.True(values.Where((v, i) => v != i).Count() > 80);
    }

    [Fact]
    public void UniformDrawsStayInTheirRanges()
    {
        var rng = new SplitMix64(9);
        for (int i = 0; i < 10_000; i++)
        {
            double d = rng.NextDouble();
            float f = rng.NextSingle(), symmetric = rng.NextSymmetric(0.5f);
            Assert.True(d is >= 0 and < 1, $"NextDouble gave {d}");
            Assert.True(f is >= 0 and < 1, $"NextSingle gave {f}");
            Assert.True(symmetric is >= -0.5f and < 0.5f, $"NextSymmetric(0.5) gave {symmetric}");
        }
    }

    [Fact]
    public void DistributionsHaveTheirExpectedMeans()
    {
        var rng = new SplitMix64(11);
        const int n = 40_000;
        double gaussian = 0, exponential = 0, poisson = 0;
        int weightedOne = 0;
        for (int i = 0; i < n; i++)
        {
            gaussian += rng.NextGaussian();
            exponential += rng.NextExponential(3.0);
            poisson += rng.NextPoisson(2.0);
            weightedOne += rng.NextWeighted([1.0, 3.0]);
        }

        Assert.InRange(gaussian / n, -0.02, 0.02);
        Assert.InRange(exponential / n, 2.9, 3.1);
        Assert.InRange(poisson / n, 1.95, 2.05);
        Assert.InRange(weightedOne / (double)n, 0.74, 0.76);
    }
}
