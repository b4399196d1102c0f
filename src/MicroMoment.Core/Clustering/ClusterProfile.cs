namespace MicroMoment.Clustering;

/// <summary>One behavioral cluster as reported after fitting.</summary>
/// <param name="Cluster">The cluster index (its one-hot slot).</param>
/// <param name="Name">The descriptive name (see <see cref="ClusterNaming"/>).</param>
/// <param name="Size">Training sessions assigned to it.</param>
/// <param name="PurchaseRate">Share of those sessions that contain a purchase.</param>
/// <param name="MeanLength">Mean events per session.</param>
/// <param name="Centroid">The centroid in unscaled session-aggregate units (ordered as <c>SessionAggregates.Names</c>).</param>
/// <param name="ProjectionX">The centroid's first PCA coordinate (same axes as the scatter).</param>
/// <param name="ProjectionY">The centroid's second PCA coordinate.</param>
public sealed record ClusterProfile(int Cluster, string Name, int Size, double PurchaseRate, double MeanLength,
    IReadOnlyList<float> Centroid, float ProjectionX, float ProjectionY);
