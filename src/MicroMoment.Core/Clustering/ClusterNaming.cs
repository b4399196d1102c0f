using MicroMoment.Features;

namespace MicroMoment.Clustering;

/// <summary>
/// Names behavioral clusters from their centroid profiles (unscaled <see cref="SessionAggregates"/> units) and their
/// training outcomes. Names are always unique and always descriptive. The rules are documented in docs/features.md
/// ("Cluster naming"); in short: every profile metric is turned into a rank across clusters (0 = lowest,
/// 1 = highest), each archetype scores a cluster by a fixed formula over those ranks, and archetypes are handed
/// out greedily, highest score first, one cluster per archetype.
/// </summary>
public static class ClusterNaming
{
    /// <summary>Bonus for the four archetypes of the behavioral-clustering literature, so they are preferred when they fit.</summary>
    public const double CoreBonus = 0.25;

    /// <summary>Penalty when a buying archetype's purchase rate is below the overall rate (or a non-buying one's above it).</summary>
    public const double OutcomePenalty = 0.5;

    private const int Events = 0, Views = 1, Carts = 2, Removes = 3, Distinct = 4, Categories = 5, Duration = 6, Gap = 7,
        Revisit = 8, CartView = 9, Switch = 10, Price = 11, Purchase = 12, MetricCount = 13;

    private enum Buying { Neutral, Buyer, NonBuyer }

    private sealed record Archetype(string Name, bool Core, Buying Buying, Func<double[], double> Score);

    private static readonly Archetype[] _archetypes =
    [
        new("passive browsers", true, Buying.NonBuyer, r => ((1 - r[Events]) + (1 - r[Carts]) + (1 - r[Purchase]) + (1 - r[CartView])) / 4),
        new("comparison seekers", true, Buying.Neutral, r => (r[Distinct] + r[Revisit] + 0.5 * r[Events] + 0.5 * (1 - r[Purchase])) / 3),
        new("purchase-intent", true, Buying.Buyer, r => (r[CartView] + r[Carts] + r[Purchase]) / 3),
        new("impulsive buyers", true, Buying.Buyer, r => (2 * r[Purchase] + (1 - r[Duration]) + (1 - r[Events]) + (1 - r[Distinct])) / 5),
        new("cart abandoners", false, Buying.NonBuyer, r => (r[Carts] + r[Removes] + (1 - r[Purchase])) / 3),
        new("category explorers", false, Buying.Neutral, r => (r[Switch] + r[Categories]) / 2),
        new("deliberate researchers", false, Buying.Neutral, r => (r[Gap] + r[Duration]) / 2),
        new("premium shoppers", false, Buying.Neutral, r => r[Price]),
        new("bargain hunters", false, Buying.Neutral, r => ((1 - r[Price]) + 0.5 * r[Distinct]) / 1.5),
        new("quick bouncers", false, Buying.NonBuyer, r => ((1 - r[Events]) + (1 - r[Duration])) / 2),
        new("focused revisitors", false, Buying.Neutral, r => (r[Revisit] + (1 - r[Distinct])) / 2),
        new("fast scanners", false, Buying.Neutral, r => ((1 - r[Gap]) + r[Views]) / 2),
    ];

    // Qualifiers for clusters beyond the archetype list: (metric, word when high, word when low).
    private static readonly (int Metric, string High, string Low)[] _traits =
    [
        (Price, "high-price", "low-price"),
        (Duration, "long-dwell", "brief"),
        (Gap, "slow-paced", "fast-paced"),
        (Switch, "multi-category", "single-category"),
        (Revisit, "revisiting", "non-revisiting"),
        (Distinct, "wide-range", "narrow-range"),
        (Carts, "cart-heavy", "cart-light"),
        (Purchase, "high-conversion", "low-conversion"),
        (Events, "long-session", "short-session"),
    ];

    /// <summary>The archetype names, in the order the rules list them.</summary>
    public static IReadOnlyList<string> Archetypes { get; } = Array.AsReadOnly(_archetypes.Select(a => a.Name).ToArray());

    /// <summary>Names k clusters.</summary>
    /// <param name="centroidProfiles">Centroids in unscaled aggregate units, row-major k × <see cref="SessionAggregates.Dimension"/>.</param>
    /// <param name="outcomes">Size, purchase rate and mean length per cluster (k entries).</param>
    /// <returns>One unique name per cluster.</returns>
    /// <exception cref="ArgumentException">The shapes disagree, or a value is non-finite or out of range.</exception>
    public static string[] Name(ReadOnlySpan<float> centroidProfiles, IReadOnlyList<ClusterOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        int d = SessionAggregates.Dimension;
        int k = outcomes.Count;
        if (k == 0) throw new ArgumentException("At least one cluster is needed to name.", nameof(outcomes));
        if (centroidProfiles.Length != k * d)
            throw new ArgumentException($"Expected {k} x {d} profile values (one aggregate row per outcome); got {centroidProfiles.Length}.", nameof(centroidProfiles));
        for (int i = 0; i < centroidProfiles.Length; i++)
        {
            if (!float.IsFinite(centroidProfiles[i]))
                throw new ArgumentException($"Profile {i / d} has the non-finite value {centroidProfiles[i]} in column {i % d}.", nameof(centroidProfiles));
        }
        for (int c = 0; c < k; c++)
        {
            ClusterOutcome o = outcomes[c];
            if (o.Size < 0 || !(o.PurchaseRate >= 0 && o.PurchaseRate <= 1) || !(o.MeanLength >= 0) || double.IsInfinity(o.MeanLength))
                throw new ArgumentException($"Outcome {c} is {o}; expected Size >= 0, PurchaseRate in [0, 1] and a finite MeanLength >= 0.", nameof(outcomes));
        }

        var metrics = new double[k][];
        for (int c = 0; c < k; c++)
        {
            ReadOnlySpan<float> p = centroidProfiles.Slice(c * d, d);
            metrics[c] = new double[MetricCount];
            metrics[c][Events] = p[SessionAggregates.LogEvents];
            metrics[c][Views] = p[SessionAggregates.LogViews];
            metrics[c][Carts] = p[SessionAggregates.LogCarts];
            metrics[c][Removes] = p[SessionAggregates.LogRemoves];
            metrics[c][Distinct] = p[SessionAggregates.LogDistinctProducts];
            metrics[c][Categories] = p[SessionAggregates.LogDistinctCategories];
            metrics[c][Duration] = p[SessionAggregates.LogDuration];
            metrics[c][Gap] = p[SessionAggregates.LogMeanGap];
            metrics[c][Revisit] = p[SessionAggregates.RevisitRatio];
            metrics[c][CartView] = p[SessionAggregates.CartViewRatio];
            metrics[c][Switch] = p[SessionAggregates.CategorySwitchRate];
            metrics[c][Price] = p[SessionAggregates.MeanLogPrice];
            metrics[c][Purchase] = outcomes[c].PurchaseRate;
        }
        double[][] ranks = Ranks(metrics, k);
        double overallRate = OverallPurchaseRate(outcomes);

        var scores = new double[k, _archetypes.Length];
        for (int c = 0; c < k; c++)
        {
            bool buysMore = outcomes[c].PurchaseRate > overallRate;
            bool buysLess = outcomes[c].PurchaseRate < overallRate;
            for (int a = 0; a < _archetypes.Length; a++)
            {
                Archetype archetype = _archetypes[a];
                double score = archetype.Score(ranks[c]);
                if (archetype.Core) score += CoreBonus;
                if ((archetype.Buying == Buying.Buyer && !buysMore) || (archetype.Buying == Buying.NonBuyer && buysMore)) score -= OutcomePenalty;
                scores[c, a] = score;
            }
        }

        var names = new string?[k];
        var used = new bool[_archetypes.Length];
        var pairs = new List<(double Score, int Cluster, int Archetype)>(k * _archetypes.Length);
        for (int c = 0; c < k; c++)
        {
            for (int a = 0; a < _archetypes.Length; a++) pairs.Add((scores[c, a], c, a));
        }
        pairs.Sort((x, y) => y.Score != x.Score ? y.Score.CompareTo(x.Score) : x.Cluster != y.Cluster ? x.Cluster.CompareTo(y.Cluster) : x.Archetype.CompareTo(y.Archetype));
        foreach (var (_, c, a) in pairs)
        {
            if (names[c] is not null || used[a]) continue;
            names[c] = _archetypes[a].Name;
            used[a] = true;
        }

        // More clusters than archetypes: the best-fitting archetype plus the cluster's most distinctive trait.
        var taken = new HashSet<string>(names.Where(n => n is not null)!, StringComparer.Ordinal);
        for (int c = 0; c < k; c++)
        {
            if (names[c] is not null) continue;
            int best = 0;
            for (int a = 1; a < _archetypes.Length; a++)
            {
                if (scores[c, a] > scores[c, best]) best = a;
            }
            string baseName = _archetypes[best].Name;
            double[] r = ranks[c];
            var traits = _traits.OrderByDescending(t => Math.Abs(r[t.Metric] - 0.5)).ThenBy(t => t.Metric)
                .Select(t => r[t.Metric] >= 0.5 ? t.High : t.Low).ToArray();
            string? name = null;
            for (int i = 0; i < traits.Length && name is null; i++)
            {
                string candidate = $"{baseName} ({traits[i]})";
                if (!taken.Contains(candidate)) name = candidate;
            }
            for (int i = 0; i < traits.Length && name is null; i++)
            {
                for (int j = i + 1; j < traits.Length && name is null; j++)
                {
                    string candidate = $"{baseName} ({traits[i]}, {traits[j]})";
                    if (!taken.Contains(candidate)) name = candidate;
                }
            }
            for (int extra = 2; name is null; extra++)
            {
                string candidate = $"{baseName} ({traits[0]}, group {extra})";
                if (!taken.Contains(candidate)) name = candidate;
            }
            names[c] = name;
            taken.Add(name);
        }
        return names!;
    }

    /// <summary>Per metric, each cluster's average rank scaled to 0..1 (0.5 for everyone when k = 1 or all tie).</summary>
    private static double[][] Ranks(double[][] metrics, int k)
    {
        var ranks = new double[k][];
        for (int c = 0; c < k; c++) ranks[c] = new double[MetricCount];
        for (int m = 0; m < MetricCount; m++)
        {
            for (int c = 0; c < k; c++)
            {
                if (k == 1)
                {
                    ranks[c][m] = 0.5;
                    continue;
                }
                int below = 0, equal = 0;
                for (int o = 0; o < k; o++)
                {
                    if (metrics[o][m] < metrics[c][m]) below++;
                    else if (metrics[o][m] == metrics[c][m]) equal++;
                }
                double averageRank = below + (equal - 1) / 2.0;
                ranks[c][m] = averageRank / (k - 1);
            }
        }
        return ranks;
    }

    private static double OverallPurchaseRate(IReadOnlyList<ClusterOutcome> outcomes)
    {
        long total = 0;
        double buyers = 0;
        foreach (ClusterOutcome o in outcomes)
        {
            total += o.Size;
            buyers += o.Size * o.PurchaseRate;
        }
        if (total > 0) return buyers / total;
        return outcomes.Average(o => o.PurchaseRate);
    }
}
