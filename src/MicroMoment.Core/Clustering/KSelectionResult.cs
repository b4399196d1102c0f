namespace MicroMoment.Clustering;

/// <summary>The outcome of <see cref="KSelection.Sweep"/>: both curves, the chosen k, the rule that chose it, and its model.</summary>
public sealed class KSelectionResult
{
    /// <summary>Creates a result (built by <see cref="KSelection.Sweep"/>).</summary>
    public KSelectionResult(IReadOnlyList<KSelectionPoint> points, int chosenK, int elbowK, string rule, KMeansModel model)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentNullException.ThrowIfNull(model);
        if (points.Count == 0) throw new ArgumentException("A sweep result needs at least one point.", nameof(points));
        if (model.K != chosenK) throw new ArgumentException($"The model has {model.K} clusters but the chosen k is {chosenK}.", nameof(model));
        Points = points;
        ChosenK = chosenK;
        ElbowK = elbowK;
        Rule = rule;
        Model = model;
    }

    /// <summary>Inertia, silhouette and elbow score per k, in increasing k.</summary>
    public IReadOnlyList<KSelectionPoint> Points { get; }

    /// <summary>The k the rule chose.</summary>
    public int ChosenK { get; }

    /// <summary>The k at the inertia elbow alone (for reporting beside the chosen k).</summary>
    public int ElbowK { get; }

    /// <summary>A sentence describing the rule that chose <see cref="ChosenK"/>.</summary>
    public string Rule { get; }

    /// <summary>The K-Means model fitted with the chosen k.</summary>
    public KMeansModel Model { get; }

    /// <summary>The sweep point of the chosen k.</summary>
    public KSelectionPoint Chosen => Points.First(p => p.K == ChosenK);
}
