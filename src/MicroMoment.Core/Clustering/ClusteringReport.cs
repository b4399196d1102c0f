namespace MicroMoment.Clustering;

/// <summary>What fitting the behavioral clusters found: the k sweep, the clusters, and a 2-D scatter sample.</summary>
public sealed class ClusteringReport
{
    /// <summary>Creates a report (built by <c>FeaturePipeline.Fit</c>).</summary>
    public ClusteringReport(int sessionCount, long eventCount, int clusteredSessionCount, IReadOnlyList<KSelectionPoint> sweep, int chosenK,
        int? elbowK, string selectionRule, IReadOnlyList<string> aggregateNames, IReadOnlyList<ClusterProfile> clusters,
        IReadOnlyList<ProjectedPoint> projection, double explainedVariance1, double explainedVariance2, double overallPurchaseRate)
    {
        ArgumentNullException.ThrowIfNull(sweep);
        ArgumentNullException.ThrowIfNull(selectionRule);
        ArgumentNullException.ThrowIfNull(aggregateNames);
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(projection);
        if (clusters.Count != chosenK)
            throw new ArgumentException($"The report lists {clusters.Count} clusters but the chosen k is {chosenK}.", nameof(clusters));
        SessionCount = sessionCount;
        EventCount = eventCount;
        ClusteredSessionCount = clusteredSessionCount;
        Sweep = sweep;
        ChosenK = chosenK;
        ElbowK = elbowK;
        SelectionRule = selectionRule;
        AggregateNames = aggregateNames;
        Clusters = clusters;
        Projection = projection;
        ExplainedVariance1 = explainedVariance1;
        ExplainedVariance2 = explainedVariance2;
        OverallPurchaseRate = overallPurchaseRate;
    }

    /// <summary>Training sessions read.</summary>
    public int SessionCount { get; }

    /// <summary>Training events read (every one a prefix the raw scaler saw).</summary>
    public long EventCount { get; }

    /// <summary>Sessions K-Means was fitted on (all, or a deterministic sample of them).</summary>
    public int ClusteredSessionCount { get; }

    /// <summary>Inertia and silhouette per k tried (one point when k was fixed).</summary>
    public IReadOnlyList<KSelectionPoint> Sweep { get; }

    /// <summary>The number of clusters used.</summary>
    public int ChosenK { get; }

    /// <summary>The k at the inertia elbow, or null when k was fixed.</summary>
    public int? ElbowK { get; }

    /// <summary>How k was chosen.</summary>
    public string SelectionRule { get; }

    /// <summary>The names of the centroid columns.</summary>
    public IReadOnlyList<string> AggregateNames { get; }

    /// <summary>Every cluster with its name, size, outcomes and profile.</summary>
    public IReadOnlyList<ClusterProfile> Clusters { get; }

    /// <summary>A deterministic sample of training sessions projected on the two leading principal axes.</summary>
    public IReadOnlyList<ProjectedPoint> Projection { get; }

    /// <summary>Share of the scaled aggregate variance along the first axis.</summary>
    public double ExplainedVariance1 { get; }

    /// <summary>Share of the scaled aggregate variance along the second axis.</summary>
    public double ExplainedVariance2 { get; }

    /// <summary>Share of all training sessions that contain a purchase.</summary>
    public double OverallPurchaseRate { get; }

    /// <summary>What the fit decided about the features, in words (e.g. time features held at 0 for lack of coverage).</summary>
    public IReadOnlyList<string> FeatureNotes { get; init; } = [];
}
