namespace MicroMoment.Silo.Tests.Storage;

/// <summary>A grain that keeps one <see cref="ShopperCheckpoint"/> in the "store" grain storage.</summary>
public interface ICheckpointGrain : IGrainWithStringKey
{
    /// <summary>Replaces the state and writes it.</summary>
    Task SaveAsync(ShopperCheckpoint checkpoint);

    /// <summary>The state as the activation holds it, with whether a stored record exists and its ETag.</summary>
    Task<(ShopperCheckpoint State, bool RecordExists, string? ETag)> LoadAsync();

    /// <summary>Clears the stored state.</summary>
    Task ClearAsync();

    /// <summary>The id of this activation (changes when the grain is deactivated and activated again).</summary>
    Task<Guid> ActivationAsync();
}
