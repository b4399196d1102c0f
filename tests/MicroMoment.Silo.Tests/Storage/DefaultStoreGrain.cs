namespace MicroMoment.Silo.Tests.Storage;

/// <summary>Test grain persisting its state in the silo's default grain storage.</summary>
public sealed class DefaultStoreGrain([PersistentState("checkpoint")] IPersistentState<ShopperCheckpoint> state) : Grain, IDefaultStoreGrain
{
    /// <inheritdoc/>
    public Task SaveAsync(ShopperCheckpoint checkpoint)
    {
        state.State = checkpoint;
        return state.WriteStateAsync();
    }
}
