using MicroMoment.Scoring;
using MicroMoment.Silo.Triggers;

namespace MicroMoment.Cli.Simulation;

/// <summary>
/// Recommends a threshold per intent and cluster that maximises the expected value under a <see cref="CostModel"/>.
/// </summary>
/// <remarks>
/// <para>The sweep works on the scores the simulation recorded (the model's scores do not depend on the policy): a
/// session counts as triggered when, before its first purchase, some event's signal for an intent of the policy
/// reaches that intent's threshold for the event's cluster. Its value is then <see cref="CostModel.BuyerValue"/> if it
/// purchased and <see cref="CostModel.NonBuyerValue"/> if not, so the expected value of a threshold vector is a sum
/// over sessions that can be evaluated exactly for every candidate of one coordinate at once: holding the other
/// coordinates, a session is triggered by the others already, or by this coordinate exactly when its highest signal in
/// that cluster reaches the candidate. Coordinates are optimised in turn (candidates 0.01, 0.02, ..., 1.00; ties go to the
/// higher threshold, fewer offers) until a round changes nothing.</para>
/// <para>What it does not model: confirmation, debounce, cooldown, caps, context and cart gates, and the holdout. The
/// recommended policy is therefore simulated again through the grains, and that run is the one to judge it by.</para>
/// </remarks>
internal static class ThresholdSweep
{
    /// <summary>Candidate thresholds: 0.01 to 1.00 in steps of 0.01 (index k is (k + 1) / 100).</summary>
    public static readonly float[] Candidates = [.. Enumerable.Range(1, 100).Select(k => (float)(k / 100.0))];

    private const int MaxRounds = 6;

    /// <summary>Runs the sweep.</summary>
    /// <param name="trace">Scores of the events before each session's first purchase.</param>
    /// <param name="purchased">Whether each session purchased.</param>
    /// <param name="intents">The intents the policy's rules serve.</param>
    /// <param name="start">Current thresholds [intent][cluster] (the lowest of the intent's rules).</param>
    /// <param name="clusterNames">The model's cluster names.</param>
    /// <param name="cost">The cost model.</param>
    public static SweepResult Run(SweepTrace trace, bool[] purchased, IReadOnlyList<Intent> intents, float[][] start, IReadOnlyList<string> clusterNames, CostModel cost)
    {
        int clusters = clusterNames.Count;
        var theta = start.Select(a => (float[])a.Clone()).ToArray();
        int purchasing = purchased.Count(p => p);
        var work = new Workspace(purchased.Length);
        var startTotals = Evaluate(trace, purchased, intents, theta, work);
        int rounds = 0;
        for (bool changed = true; changed && rounds < MaxRounds; rounds++)
        {
            changed = false;
            for (int i = 0; i < intents.Count; i++)
            {
                for (int c = 0; c < clusters; c++)
                {
                    var curve = Coordinate(trace, purchased, intents, theta, i, c, work, cost, purchasing);
                    if (curve.Events == 0) continue;
                    float best = Candidates[curve.Best];
                    if (best != theta[i][c])
                    {
                        // Move only on a strict gain, so the sweep cannot cycle between equal optima.
                        double now = curve.ValueAt(theta[i][c]);
                        if (curve.ExpectedValue[curve.Best] > now + 1e-9)
                        {
                            theta[i][c] = best;
                            changed = true;
                        }
                    }
                }
            }
        }

        var coordinates = new List<SweepCoordinate>();
        for (int i = 0; i < intents.Count; i++)
        {
            for (int c = 0; c < clusters; c++)
            {
                var curve = Coordinate(trace, purchased, intents, theta, i, c, work, cost, purchasing);
                coordinates.Add(new SweepCoordinate(intents[i], c, clusterNames[c], start[i][c], theta[i][c], curve));
            }
        }

        var endTotals = Evaluate(trace, purchased, intents, theta, work);
        return new SweepResult(cost, coordinates, rounds, purchased.Length, purchasing,
            startTotals.Triggered, startTotals.Covered, cost.ValueOf(startTotals.Covered, startTotals.Triggered - startTotals.Covered),
            endTotals.Triggered, endTotals.Covered, cost.ValueOf(endTotals.Covered, endTotals.Triggered - endTotals.Covered));
    }

    /// <summary>Sessions triggered (and of them, purchasing) under the threshold vector <paramref name="theta"/>.</summary>
    private static (int Triggered, int Covered) Evaluate(SweepTrace trace, bool[] purchased, IReadOnlyList<Intent> intents, float[][] theta, Workspace work)
    {
        var triggered = work.Other;
        Array.Clear(triggered);
        var session = trace.Session;
        var buy = trace.Buy;
        var exit = trace.Exit;
        var cluster = trace.Cluster;
        for (int j = 0; j < session.Length; j++)
        {
            if (triggered[session[j]]) continue;
            for (int i = 0; i < intents.Count; i++)
            {
                if (Policy.Signal(intents[i], buy[j], exit[j]) >= theta[i][cluster[j]])
                {
                    triggered[session[j]] = true;
                    break;
                }
            }
        }

        int count = 0, covered = 0;
        for (int s = 0; s < triggered.Length; s++)
        {
            if (!triggered[s]) continue;
            count++;
            if (purchased[s]) covered++;
        }
        return (count, covered);
    }

    private static SweepCurve Coordinate(SweepTrace trace, bool[] purchased, IReadOnlyList<Intent> intents, float[][] theta, int intent, int target, Workspace work, CostModel cost, int purchasing)
    {
        var other = work.Other;
        var best = work.Best;
        Array.Clear(other);
        Array.Fill(best, float.NegativeInfinity);
        var session = trace.Session;
        var buy = trace.Buy;
        var exit = trace.Exit;
        var cluster = trace.Cluster;
        int inCluster = 0;
        for (int j = 0; j < session.Length; j++)
        {
            int s = session[j];
            int c = cluster[j];
            for (int i = 0; i < intents.Count; i++)
            {
                float signal = Policy.Signal(intents[i], buy[j], exit[j]);
                if (i == intent && c == target)
                {
                    if (signal > best[s]) best[s] = signal;
                    inCluster++;
                }
                else if (signal >= theta[i][c])
                {
                    other[s] = true;
                }
            }
        }

        int baseTriggered = 0, baseCovered = 0;
        // buyers[k] / others[k]: sessions this coordinate triggers for candidates 0..k (its highest signal reaches
        // Candidates[k] but not Candidates[k + 1]).
        var buyers = new int[Candidates.Length];
        var others = new int[Candidates.Length];
        var reach = new List<(float Signal, bool Purchased)>();
        for (int s = 0; s < other.Length; s++)
        {
            if (other[s])
            {
                baseTriggered++;
                if (purchased[s]) baseCovered++;
                continue;
            }
            if (float.IsNegativeInfinity(best[s])) continue;
            reach.Add((best[s], purchased[s]));
            int k = Highest(best[s]);
            if (k < 0) continue;
            if (purchased[s]) buyers[k]++;
            else others[k]++;
        }

        var triggered = new int[Candidates.Length];
        var covered = new int[Candidates.Length];
        var value = new double[Candidates.Length];
        int runBuyers = 0, runOthers = 0;
        for (int k = Candidates.Length - 1; k >= 0; k--)
        {
            runBuyers += buyers[k];
            runOthers += others[k];
            triggered[k] = baseTriggered + runBuyers + runOthers;
            covered[k] = baseCovered + runBuyers;
            value[k] = cost.ValueOf(covered[k], triggered[k] - covered[k]);
        }

        int bestIndex = Candidates.Length - 1;
        for (int k = Candidates.Length - 2; k >= 0; k--)
        {
            if (value[k] > value[bestIndex] + 1e-9) bestIndex = k;
        }
        return new SweepCurve(inCluster, purchased.Length, purchasing, triggered, covered, value, bestIndex, [.. reach], baseTriggered, baseCovered, cost);
    }

    /// <summary>The intents a policy's rules serve and, per intent and cluster, the lowest threshold among its rules (where the sweep starts).</summary>
    public static (IReadOnlyList<Intent> Intents, float[][] Start) StartOf(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var intents = policy.Rules.Select(r => r.Intent).Distinct().ToList();
        var start = intents.Select(intent => Enumerable.Range(0, policy.ClusterNames.Count)
            .Select(c => Enumerable.Range(0, policy.Rules.Count).Where(r => policy.Rules[r].Intent == intent).Min(r => policy.Threshold(r, c))).ToArray()).ToArray();
        return (intents, start);
    }

    /// <summary>The index of the highest candidate at or below <paramref name="signal"/>, or −1.</summary>
    internal static int Highest(float signal)
    {
        int k = Math.Clamp((int)Math.Floor(signal * 100.0) - 1, -1, Candidates.Length - 1);
        while (k + 1 < Candidates.Length && signal >= Candidates[k + 1]) k++;
        while (k >= 0 && signal < Candidates[k]) k--;
        return k;
    }

    private sealed class Workspace(int sessions)
    {
        public readonly bool[] Other = new bool[sessions];
        public readonly float[] Best = new float[sessions];
    }
}

/// <summary>One intent and cluster of the sweep: its current and recommended threshold and its trade-off curve.</summary>
/// <param name="Intent">The intent (its rules share the threshold).</param>
/// <param name="Cluster">Cluster index.</param>
/// <param name="ClusterName">Cluster name.</param>
/// <param name="Current">The policy's threshold (the lowest of the intent's rules).</param>
/// <param name="Recommended">The sweep's threshold.</param>
/// <param name="Curve">Outcomes per candidate, the other coordinates at their recommended values.</param>
internal sealed record SweepCoordinate(Intent Intent, int Cluster, string ClusterName, float Current, float Recommended, SweepCurve Curve)
{
    /// <summary>True when no event of the log scored in this cluster before a purchase (the threshold is kept).</summary>
    public bool NoData => Curve.Events == 0;
}

/// <summary>Outcomes of every candidate threshold of one coordinate (index k = <see cref="ThresholdSweep.Candidates"/>[k]).</summary>
/// <param name="Events">Events of this cluster in the trace (0: no data).</param>
/// <param name="TotalSessions">All sessions.</param>
/// <param name="PurchasingSessions">Sessions with a purchase.</param>
/// <param name="Triggered">Sessions triggered.</param>
/// <param name="Covered">Purchasing sessions triggered before the purchase.</param>
/// <param name="ExpectedValue">Value under the cost model.</param>
/// <param name="Best">Index of the best candidate.</param>
/// <param name="Reach">Each session this coordinate alone can trigger: its highest signal in the cluster and whether it purchased.</param>
/// <param name="BaseTriggered">Sessions the other coordinates trigger.</param>
/// <param name="BaseCovered">Of those, purchasing sessions.</param>
/// <param name="Cost">The cost model.</param>
internal sealed record SweepCurve(int Events, int TotalSessions, int PurchasingSessions, int[] Triggered, int[] Covered, double[] ExpectedValue, int Best,
    (float Signal, bool Purchased)[] Reach, int BaseTriggered, int BaseCovered, CostModel Cost)
{
    /// <summary>The expected value at any threshold (exact, not only at the candidates).</summary>
    public double ValueAt(float threshold)
    {
        int triggered = BaseTriggered, covered = BaseCovered;
        foreach (var (signal, purchased) in Reach)
        {
            if (signal < threshold) continue;
            triggered++;
            if (purchased) covered++;
        }
        return Cost.ValueOf(covered, triggered - covered);
    }
}

/// <summary>The sweep's recommendation and the sweep model's totals before and after it.</summary>
internal sealed record SweepResult(CostModel Cost, IReadOnlyList<SweepCoordinate> Coordinates, int Rounds, int Sessions, int PurchasingSessions,
    int CurrentTriggered, int CurrentCovered, double CurrentValue, int RecommendedTriggered, int RecommendedCovered, double RecommendedValue)
{
    /// <summary>The recommended threshold of <paramref name="intent"/> in <paramref name="cluster"/>, or null when the intent is not swept.</summary>
    public float? Recommended(Intent intent, int cluster) =>
        Coordinates.FirstOrDefault(c => c.Intent == intent && c.Cluster == cluster)?.Recommended;
}
