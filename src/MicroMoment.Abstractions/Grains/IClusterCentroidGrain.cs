namespace MicroMoment.Grains;

/// <summary>
/// The behavioral clusters of one model version (the key): a stateless worker, so every silo answers locally. User grains
/// take the centroid set once per activation; assignments are for callers outside the hot path.
/// </summary>
[Alias("mm.IClusterCentroidGrain")]
public interface IClusterCentroidGrain : IGrainWithStringKey
{
    /// <summary>The centroids and names.</summary>
    /// <exception cref="InvalidOperationException">The silo serves another model version than the key.</exception>
    [Alias("Centroids")]
    Task<ClusterCentroids> GetCentroidsAsync();

    /// <summary>The nearest cluster of a point in scaled aggregate space (length = <see cref="ClusterCentroids.Dimension"/>).</summary>
    [Alias("Assign")]
    Task<int> AssignAsync(float[] point);
}

/// <summary>The clusters of one model version: centroids in scaled aggregate space and their names.</summary>
/// <param name="ModelVersion">The model the clusters belong to.</param>
/// <param name="Dimension">Floats per centroid.</param>
/// <param name="Centroids">Cluster c's centroid at [c × Dimension, (c + 1) × Dimension).</param>
/// <param name="Names">Cluster names, by index.</param>
[GenerateSerializer]
[Alias("mm.ClusterCentroids")]
[Immutable]
public sealed record ClusterCentroids(string ModelVersion, int Dimension, float[] Centroids, string[] Names)
{
    /// <summary>The clusters of <paramref name="model"/>.</summary>
    public static ClusterCentroids Of(Scoring.MicroMomentModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var clusters = model.Features.Clusters;
        return new ClusterCentroids(model.Info.Version, clusters.Dimension, clusters.Centroids.ToArray(), [.. model.Features.ClusterNames]);
    }

    /// <summary>Number of clusters.</summary>
    public int Count => Names.Length;

    /// <summary>The name of cluster <paramref name="cluster"/>, or null when out of range.</summary>
    public string? NameOf(int cluster) => (uint)cluster < (uint)Names.Length ? Names[cluster] : null;

    /// <summary>Centroid <paramref name="cluster"/>.</summary>
    public ReadOnlySpan<float> Centroid(int cluster) => Centroids.AsSpan(cluster * Dimension, Dimension);
}
