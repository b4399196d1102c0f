namespace MicroMoment.Silo.Runtime;

/// <summary>A control message whose caller awaits a <typeparamref name="T"/>.</summary>
internal sealed class ControlMessage<T>(Func<PartitionWorker, Partition, T> action) : ControlMessage
{
    private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the action's result.</summary>
    public Task<T> Task => _done.Task;

    /// <inheritdoc/>
    public override void Run(PartitionWorker worker, Partition partition) => _done.TrySetResult(action(worker, partition));

    /// <inheritdoc/>
    public override void Fail(Exception error) => _done.TrySetException(error);
}
