using MicroMoment.Grains;
using Orleans;

namespace MicroMoment.Silo.Tests.Cluster;

/// <summary>
/// A silo call filter that holds every offer watch (<see cref="IUserGrain.WatchOffersAsync"/>) at the user grain until
/// <see cref="Open"/>: a watch that takes as long as the test says, as one crossing to a slow or distant silo may.
/// </summary>
public sealed class WatchGate : IIncomingGrainCallFilter
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;

    /// <summary>Completes when the first watch reached the user grain (and is held there).</summary>
    public Task Arrived => _arrived.Task;

    /// <summary>Watches that reached the gate.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Lets every held watch, and all later ones, through.</summary>
    public void Open() => _open.TrySetResult();

    /// <inheritdoc/>
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod.Name == nameof(IUserGrain.WatchOffersAsync))
        {
            Interlocked.Increment(ref _held);
            _arrived.TrySetResult();
            await _open.Task;
        }

        await context.Invoke();
    }
}
