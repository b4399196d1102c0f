namespace MicroMoment.Clustering;

/// <summary>One training session in the 2-D PCA scatter.</summary>
/// <param name="X">First principal coordinate.</param>
/// <param name="Y">Second principal coordinate.</param>
/// <param name="Cluster">Its behavioral cluster.</param>
/// <param name="Purchased">Whether the session contains a purchase.</param>
public readonly record struct ProjectedPoint(float X, float Y, int Cluster, bool Purchased);
