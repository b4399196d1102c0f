namespace MicroMoment.Clustering;

/// <summary>One k of a K-Means sweep.</summary>
/// <param name="K">The number of clusters.</param>
/// <param name="Inertia">Sum of squared distances to the nearest centroid.</param>
/// <param name="Silhouette">Mean silhouette on the sweep's sample (−1..1, higher is better).</param>
/// <param name="ElbowScore">How far the normalised inertia curve dips below its chord at this k (0..1; the elbow maximises it).</param>
public readonly record struct KSelectionPoint(int K, double Inertia, double Silhouette, double ElbowScore);
