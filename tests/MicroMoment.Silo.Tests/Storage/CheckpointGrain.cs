namespace MicroMoment.Silo.Tests.Storage;

/// <summary>Test grain persisting its state in the grain storage named "store".</summary>
public sealed class CheckpointGrain([PersistentState("checkpoint", "store")] IPersistentState<ShopperCheckpoint> state) : Grain, ICheckpointGrain
{
    private readonly Guid _activation = Guid.NewGuid();

    /// <inheritdoc/>
    public Task SaveAsync(ShopperCheckpoint checkpoint)
    {
        state.State = checkpoint;
        return state.WriteStateAsync();
    }

    /// <inheritdoc/>
    public Task<(ShopperCheckpoint State, bool RecordExists, string? ETag)> LoadAsync() =>
        Task.FromResult((state.State, state.RecordExists, state.Etag));

    /// <inheritdoc/>
    public Task ClearAsync() => state.ClearStateAsync();

    /// <inheritdoc/>
    public Task<Guid> ActivationAsync() => Task.FromResult(_activation);
}
