namespace MicroMoment.Silo.Tests.Storage;

/// <summary>A grain that keeps one <see cref="ShopperCheckpoint"/> in the default grain storage.</summary>
public interface IDefaultStoreGrain : IGrainWithStringKey
{
    /// <summary>Replaces the state and writes it.</summary>
    Task SaveAsync(ShopperCheckpoint checkpoint);
}
