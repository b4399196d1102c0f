using System.Diagnostics;
using MicroMoment.Events;

namespace MicroMoment.Silo.Runtime;

/// <summary>One IngestAsync call: its events, their key hashes, the outcomes filled in by the workers, and the task.</summary>
internal sealed class IngestRequest
{
    private readonly TaskCompletionSource<IReadOnlyList<IngestOutcome>> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining;

    /// <summary>Wraps the call's events.</summary>
    public IngestRequest(ClickEvent[] events)
    {
        Events = events;
        Hashes = new ulong[events.Length];
        Outcomes = new IngestOutcome[events.Length];
        _remaining = events.Length;
        EnqueuedAt = Stopwatch.GetTimestamp();
    }

    /// <summary>The events, as submitted.</summary>
    public ClickEvent[] Events { get; }

    /// <summary>The stable key hash of each event's tenant/user.</summary>
    public ulong[] Hashes { get; }

    /// <summary>The outcome of each event.</summary>
    public IngestOutcome[] Outcomes { get; }

    /// <summary>Stopwatch timestamp of submission.</summary>
    public long EnqueuedAt { get; }

    /// <summary>Completes when every event has its outcome.</summary>
    public Task<IReadOnlyList<IngestOutcome>> Task => _done.Task;

    /// <summary>Sets the outcome of event <paramref name="index"/>; the last one completes the task.</summary>
    public void Complete(int index, IngestOutcome outcome)
    {
        Outcomes[index] = outcome;
        if (Interlocked.Decrement(ref _remaining) == 0) _done.TrySetResult(Outcomes);
    }
}
