using Orleans.Storage;

namespace MicroMoment.Silo.Storage;

/// <summary>
/// The storage of a silo without persistence: reads find nothing and writes keep nothing, so a grain's state lives
/// only while it is active (what a silo without a data directory promises).
/// </summary>
internal sealed class NullGrainStorage : IGrainStorage
{
    /// <inheritdoc/>
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

    /// <inheritdoc/>
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;
}
