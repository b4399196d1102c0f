using MicroMoment.Grains;
using Orleans.Concurrency;

namespace MicroMoment.Silo.Grains;

/// <summary>
/// Serves the behavioral clusters of the model version in its key: a stateless worker, so each silo answers from its
/// own activations without a network hop. User grains take the immutable set once per activation; the feature pipeline
/// assigns clusters on the hot path itself, so no grain is called per event.
/// </summary>
[StatelessWorker]
internal sealed class ClusterCentroidGrain(SiloContext context) : Grain, IClusterCentroidGrain
{
    /// <inheritdoc/>
    public Task<ClusterCentroids> GetCentroidsAsync()
    {
        CheckVersion();
        return Task.FromResult(context.Clusters);
    }

    /// <inheritdoc/>
    public Task<int> AssignAsync(float[] point)
    {
        ArgumentNullException.ThrowIfNull(point);
        CheckVersion();
        var clusters = context.Model.Features.Clusters;
        if (point.Length != clusters.Dimension)
            throw new ArgumentException($"The point has {point.Length} values; the clusters of model {context.Model.Info.Version} have {clusters.Dimension} dimensions.", nameof(point));
        return Task.FromResult(clusters.Assign(point));
    }

    private void CheckVersion()
    {
        string key = this.GetPrimaryKeyString();
        if (!string.Equals(key, context.Model.Info.Version, StringComparison.Ordinal))
            throw new InvalidOperationException($"This silo serves the clusters of model {context.Model.Info.Version}; it was asked for model {key}.");
    }
}
