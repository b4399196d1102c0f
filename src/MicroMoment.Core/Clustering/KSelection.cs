using System.Globalization;
using MicroMoment.Numerics;

namespace MicroMoment.Clustering;

/// <summary>
/// Chooses the number of behavioral clusters by sweeping k: fits K-Means for every k in [kMin, kMax], records
/// inertia (for the elbow) and silhouette, and applies <see cref="Rule"/>.
/// </summary>
public static class KSelection
{
    /// <summary>Silhouettes within this distance of the best are treated as tied.</summary>
    public const double SilhouetteTieTolerance = 0.01;

    /// <summary>The selection rule, as reported.</summary>
    public static readonly string Rule = string.Create(CultureInfo.InvariantCulture,
        $"highest mean silhouette; k values within {SilhouetteTieTolerance} of the best are broken by the inertia elbow (largest dip of the normalised inertia curve below its chord), then by the smaller k");

    /// <summary>Sweeps k over [<paramref name="kMin"/>, <paramref name="kMax"/>] on a row-major n × <paramref name="d"/> block.</summary>
    /// <param name="data">The points (e.g. scaled session aggregates).</param>
    /// <param name="d">The point dimension.</param>
    /// <param name="kMin">The smallest k (≥ 2: the silhouette needs two clusters).</param>
    /// <param name="kMax">The largest k (≤ n).</param>
    /// <param name="seed">Seeds every fit (a derived seed per k) and the silhouette sample.</param>
    /// <param name="maxIter">Lloyd iterations per fit.</param>
    /// <param name="silhouetteSampleSize">Points in the silhouette sample (the same sample for every k).</param>
    /// <param name="degreeOfParallelism">Threads to use; results do not depend on it.</param>
    /// <exception cref="ArgumentException">The k range is empty, below 2, or above the number of points.</exception>
    public static KSelectionResult Sweep(ReadOnlySpan<float> data, int d, int kMin = 2, int kMax = 8, ulong seed = 0, int maxIter = 100,
        int silhouetteSampleSize = Silhouette.DefaultSampleSize, int degreeOfParallelism = 2)
    {
        int n = RowBlock.CountRows(data, d);
        if (kMin < 2) throw new ArgumentOutOfRangeException(nameof(kMin), kMin, "kMin must be at least 2 (the silhouette compares clusters).");
        if (kMax < kMin) throw new ArgumentOutOfRangeException(nameof(kMax), kMax, $"kMax must be at least kMin ({kMin}).");
        if (kMax > n) throw new ArgumentOutOfRangeException(nameof(kMax), kMax, $"kMax cannot exceed the number of points ({n}).");

        int count = kMax - kMin + 1;
        var models = new KMeansModel[count];
        var inertias = new double[count];
        var silhouettes = new double[count];
        for (int i = 0; i < count; i++)
        {
            int k = kMin + i;
            models[i] = KMeans.Fit(data, d, k, SplitMix64.Derive(seed, (ulong)k), maxIter, degreeOfParallelism);
            inertias[i] = models[i].Inertia;
            int[] labels = models[i].AssignAll(data);
            silhouettes[i] = Silhouette.Score(data, d, labels, silhouetteSampleSize, seed, degreeOfParallelism);
        }

        double[] elbow = ElbowScores(inertias);
        var points = new KSelectionPoint[count];
        for (int i = 0; i < count; i++) points[i] = new KSelectionPoint(kMin + i, inertias[i], silhouettes[i], elbow[i]);

        int elbowIndex = 0;
        for (int i = 1; i < count; i++)
        {
            if (elbow[i] > elbow[elbowIndex]) elbowIndex = i;
        }

        double bestSilhouette = silhouettes.Max();
        int chosen = -1;
        for (int i = 0; i < count; i++)
        {
            if (silhouettes[i] < bestSilhouette - SilhouetteTieTolerance) continue;
            if (chosen < 0 || elbow[i] > elbow[chosen]) chosen = i;
        }
        return new KSelectionResult(points, kMin + chosen, kMin + elbowIndex, Rule, models[chosen]);
    }

    /// <summary>
    /// Elbow (knee) scores of a decreasing inertia curve: with x = (k − kMin)/(kMax − kMin) and
    /// y = (I − I_min)/(I_max − I_min), the score is (1 − x) − y, the dip below the chord from the first to
    /// the last point, floored at 0. All zeros with fewer than three points or a flat curve.
    /// </summary>
    internal static double[] ElbowScores(IReadOnlyList<double> inertias)
    {
        int count = inertias.Count;
        var scores = new double[count];
        if (count < 3) return scores;
        double min = inertias.Min();
        double max = inertias.Max();
        if (!(max > min)) return scores;
        for (int i = 0; i < count; i++)
        {
            double x = i / (double)(count - 1);
            double y = (inertias[i] - min) / (max - min);
            scores[i] = Math.Max(0, (1 - x) - y);
        }
        return scores;
    }
}
