using MicroMoment.Grains;
using Orleans;

namespace MicroMoment.Silo.Tests.Cluster;

/// <summary>
/// A silo call filter that holds every offer watch (<see cref="IUserGrain.WatchOffersAsync"/>) until <see cref="Open"/>:
/// a watch that takes as long as the test says, as one crossing to a slow or distant silo may. As an incoming filter it
/// holds the watch at the user grain (which takes no other call meanwhile); as an outgoing filter it holds the watch
/// before it leaves the watching silo (the grain goes on taking calls).
/// </summary>
public sealed class WatchGate : IIncomingGrainCallFilter, IOutgoingGrainCallFilter
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
        await HoldAsync(context);
        await context.Invoke();
    }

    /// <inheritdoc/>
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        await HoldAsync(context);
        await context.Invoke();
    }

    private async Task HoldAsync(IGrainCallContext context)
    {
        if (context.InterfaceMethod?.Name != nameof(IUserGrain.WatchOffersAsync)) return;
        Interlocked.Increment(ref _held);
        _arrived.TrySetResult();
        await _open.Task;
    }
}
