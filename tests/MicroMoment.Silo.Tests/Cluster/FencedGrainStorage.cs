using Orleans.Runtime;
using Orleans.Storage;

namespace MicroMoment.Silo.Tests.Cluster;

/// <summary>
/// One silo's handle on the grain store that every silo of a test cluster shares. It forwards to that store and takes
/// no part in the silo's lifecycle: the cluster opens and closes the store, so a silo that stops (or is killed) does not
/// close it under the others. <see cref="Fence"/> stands for the silo's process dying: from then on nothing it reads,
/// writes or clears reaches the store. (A silo killed inside the test process may still start its grains' deactivation,
/// which writes their unwritten changes, depending on timing; a crashed process writes nothing more.)
/// </summary>
public sealed class FencedGrainStorage(IGrainStorage store, string silo) : IGrainStorage
{
    private volatile bool _fenced;
    private int _refused;

    /// <summary>The silo this handle belongs to.</summary>
    public string Silo => silo;

    /// <summary>Whether the silo is fenced off the store.</summary>
    public bool IsFenced => _fenced;

    /// <summary>Reads, writes and clears refused since the fence (the silo tried to reach the store after its "death").</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Cuts the silo off the store, as its process dying would.</summary>
    public void Fence() => _fenced = true;

    /// <inheritdoc/>
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ThrowIfFenced("read", stateName, grainId);
        return store.ReadStateAsync(stateName, grainId, grainState);
    }

    /// <inheritdoc/>
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ThrowIfFenced("write", stateName, grainId);
        return store.WriteStateAsync(stateName, grainId, grainState);
    }

    /// <inheritdoc/>
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ThrowIfFenced("clear", stateName, grainId);
        return store.ClearStateAsync(stateName, grainId, grainState);
    }

    private void ThrowIfFenced(string operation, string stateName, GrainId grainId)
    {
        if (!_fenced) return;
        Interlocked.Increment(ref _refused);
        throw new InvalidOperationException($"Silo '{silo}' is down (fenced off the shared grain store); the {operation} of state '{stateName}' of {grainId} did not reach the store.");
    }
}
