namespace MicroMoment.Silo.Runtime;

/// <summary>
/// A message other than an event (view, feedback, consent, erase, flush, maintenance), queued behind the events
/// submitted before it so that a grain sees everything in arrival order. Runs on the partition's worker.
/// </summary>
internal abstract class ControlMessage
{
    /// <summary>Runs the message on the worker that owns <paramref name="partition"/>.</summary>
    public abstract void Run(PartitionWorker worker, Partition partition);

    /// <summary>Fails the message's caller (the run threw or the silo stopped).</summary>
    public abstract void Fail(Exception error);
}
