using MicroMoment.Evaluation;
using MicroMoment.Numerics;

namespace MicroMoment.Tests.Evaluation;

public class BootstrapTests
{
    [Fact]
    public void AucIntervalContainsThePointEstimate()
    {
        var (scores, labels, groups) = Sessions(sessionCount: 300, eventsPerSession: 4, seed: 1);
        var ci = Bootstrap.AucInterval(scores, labels, groups, iterations: 500, seed: 42);
        Assert.Equal(BinaryMetrics.RocAuc(scores, labels), ci.Estimate, 12);
        Assert.True(ci.Lower < ci.Estimate && ci.Estimate < ci.Upper, $"{ci.Lower} < {ci.Estimate} < {ci.Upper}");
        Assert.InRange(ci.Upper - ci.Lower, 0.01, 0.3);
        Assert.Equal(500, ci.ValidIterations);
        Assert.Equal(0.95, ci.Level);
    }

    [Fact]
    public void SameSeedGivesIdenticalIntervalsAndOtherSeedsDiffer()
    {
        var (scores, labels, groups) = Sessions(sessionCount: 200, eventsPerSession: 3, seed: 2);
        var first = Bootstrap.AucInterval(scores, labels, groups, iterations: 200, seed: 7);
        var second = Bootstrap.AucInterval(scores, labels, groups, iterations: 200, seed: 7);
        var other = Bootstrap.AucInterval(scores, labels, groups, iterations: 200, seed: 8);
        Assert.Equal(first, second);
        Assert.NotEqual(first.Lower, other.Lower);
    }

    [Fact]
    public void ResamplingWholeSessionsIgnoresDuplicatedEventsWithinASession()
    {
        // Copying every event of a session 10 times adds no information; a cluster bootstrap must see exactly the
        // same resamples (an event-level bootstrap would report a far narrower interval).
        var (scores, labels, groups) = Sessions(sessionCount: 150, eventsPerSession: 1, seed: 3);
        var once = Bootstrap.AucInterval(scores, labels, groups, iterations: 300, seed: 5);
        var repeated = Bootstrap.AucInterval(
            Repeat(scores, 10), Repeat(labels, 10), Repeat(groups, 10), iterations: 300, seed: 5);
        Assert.Equal(once.Lower, repeated.Lower, 12);
        Assert.Equal(once.Upper, repeated.Upper, 12);
    }

    [Fact]
    public void GenericIntervalWithAnAucStatisticMatchesTheFastAucInterval()
    {
        var (scores, labels, groups) = Sessions(sessionCount: 80, eventsPerSession: 3, seed: 4);
        var fast = Bootstrap.AucInterval(scores, labels, groups, iterations: 100, seed: 9);
        var generic = Bootstrap.Interval(80, resampled =>
        {
            var s = new List<float>();
            var y = new List<byte>();
            foreach (int g in resampled)
            {
                for (int e = g * 3; e < (g * 3) + 3; e++)
                {
                    s.Add(scores[e]);
                    y.Add(labels[e]);
                }
            }

            return BinaryMetrics.RocAuc(s.ToArray(), y.ToArray());
        }, iterations: 100, seed: 9);
        Assert.Equal(fast.Estimate, generic.Estimate, 12);
        Assert.Equal(fast.Lower, generic.Lower, 10);
        Assert.Equal(fast.Upper, generic.Upper, 10);
        Assert.Equal(fast.ValidIterations, generic.ValidIterations);
    }

    [Fact]
    public void GenericIntervalOfTheMeanCoversTheTrueMean()
    {
        var rng = new SplitMix64(12);
        var values = Enumerable.Range(0, 400).Select(_ => 10 + rng.NextGaussian()).ToArray();
        var ci = Bootstrap.Interval(values.Length, idx => idx.Average(i => values[i]), iterations: 1000, seed: 1);
        Assert.Equal(values.Average(), ci.Estimate, 12);
        Assert.InRange(10.0, ci.Lower, ci.Upper);
        // Standard error ≈ 1/√400 = 0.05, so a 95% interval is about 0.2 wide.
        Assert.InRange(ci.Upper - ci.Lower, 0.14, 0.26);
    }

    [Fact]
    public void InvalidLevelIsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Bootstrap.Interval(3, _ => 0, level: 1.5));
    }

    [Fact]
    public void PairedDifferenceComputesBothAucsOnEachResampleOfSessions()
    {
        // The reference: the generic group bootstrap with a statistic that rebuilds the resample and measures both
        // models on it. Same seed, same draws, so the two must agree to rounding.
        var (a, labels, groups) = Sessions(sessionCount: 120, eventsPerSession: 3, seed: 9);
        var rng = new SplitMix64(10);
        var b = a.Select(s => s + (float)(rng.NextGaussian() * 1.5)).ToArray();
        var paired = Bootstrap.PairedAucDifference(a, b, labels, groups, iterations: 300, seed: 11);

        var members = Enumerable.Range(0, a.Length).GroupBy(i => groups[i]).Select(g => g.ToArray()).ToArray();
        var reference = Bootstrap.Interval(members.Length, picked =>
        {
            var rows = picked.SelectMany(g => members[g]).ToArray();
            var y = rows.Select(i => labels[i]).ToArray();
            return BinaryMetrics.RocAuc(rows.Select(i => a[i]).ToArray(), y) - BinaryMetrics.RocAuc(rows.Select(i => b[i]).ToArray(), y);
        }, iterations: 300, seed: 11);

        Assert.Equal(BinaryMetrics.RocAuc(a, labels) - BinaryMetrics.RocAuc(b, labels), paired.Estimate, 12);
        Assert.Equal(reference.Lower, paired.Lower, 9);
        Assert.Equal(reference.Upper, paired.Upper, 9);
        Assert.Equal(reference.ValidIterations, paired.ValidIterations);
        Assert.True(paired.Lower > 0, $"A noisier copy of the same scores ranks worse: [{paired.Lower}, {paired.Upper}].");
    }

    [Fact]
    public void PairedDifferenceOfAModelWithItselfIsExactlyZero()
    {
        var (a, labels, groups) = Sessions(sessionCount: 60, eventsPerSession: 2, seed: 12);
        var paired = Bootstrap.PairedAucDifference(a, a, labels, groups, iterations: 100, seed: 1);
        Assert.Equal((0.0, 0.0, 0.0), (paired.Estimate, paired.Lower, paired.Upper));
    }

    [Fact]
    public void PairedDifferenceNamesArraysOfDifferentLengths()
    {
        var ex = Assert.Throws<ArgumentException>(() => Bootstrap.PairedAucDifference([0.1f, 0.2f], [0.1f], [0, 1], [1, 2]));
        Assert.Contains("scoresA has 2 entries, scoresB 1", ex.Message);
    }

    private static (float[] Scores, byte[] Labels, long[] Groups) Sessions(int sessionCount, int eventsPerSession, ulong seed)
    {
        var rng = new SplitMix64(seed);
        int n = sessionCount * eventsPerSession;
        var scores = new float[n];
        var labels = new byte[n];
        var groups = new long[n];
        for (int s = 0; s < sessionCount; s++)
        {
            bool buyer = rng.NextDouble() < 0.3;
            double sessionEffect = rng.NextGaussian() * 0.5;
            for (int k = 0; k < eventsPerSession; k++)
            {
                int e = (s * eventsPerSession) + k;
                labels[e] = buyer ? (byte)1 : (byte)0;
                scores[e] = (float)(sessionEffect + rng.NextGaussian() + (buyer ? 1 : 0));
                groups[e] = 1000 + s;
            }
        }

        return (scores, labels, groups);
    }

    private static T[] Repeat<T>(T[] source, int times) =>
        source.SelectMany(v => Enumerable.Repeat(v, times)).ToArray();
}
