using MicroMoment.Scoring;

namespace MicroMoment.Silo.Grains;

/// <summary>
/// The behavioral clusters of one model version (its key): centroids in scaled aggregate space and their names.
/// A silo builds it once per model and caches it; it is read by the user view and the dashboard, never per event
/// (the feature pipeline assigns clusters on the hot path). Immutable and thread-safe.
/// </summary>
public sealed class ClusterCentroidGrain
{
    private readonly float[][] _centroids;
    private readonly string[] _names;

    /// <summary>Builds the grain for <paramref name="model"/>; its key is the model version.</summary>
    public ClusterCentroidGrain(MicroMomentModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModelVersion = model.Info.Version;
        var clusters = model.Features.Clusters;
        Dimension = clusters.Dimension;
        _centroids = new float[clusters.K][];
        for (int c = 0; c < clusters.K; c++) _centroids[c] = clusters.Centroid(c).ToArray();
        _names = model.Features.ClusterNames.ToArray();
    }

    /// <summary>The key: the model version the clusters belong to.</summary>
    public string ModelVersion { get; }

    /// <summary>Number of clusters.</summary>
    public int Count => _names.Length;

    /// <summary>Dimension of each centroid.</summary>
    public int Dimension { get; }

    /// <summary>The cluster names, by index.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The name of cluster <paramref name="cluster"/>, or null when the index is out of range.</summary>
    public string? NameOf(int cluster) => (uint)cluster < (uint)_names.Length ? _names[cluster] : null;

    /// <summary>A copy of centroid <paramref name="cluster"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No such cluster.</exception>
    public float[] Centroid(int cluster)
    {
        if ((uint)cluster >= (uint)_centroids.Length)
            throw new ArgumentOutOfRangeException(nameof(cluster), cluster, $"Expected a cluster index in 0..{_centroids.Length - 1}.");
        return (float[])_centroids[cluster].Clone();
    }
}
