namespace MicroMoment.Silo.Execution;

/// <summary>Settings of the silo's <see cref="ModelExecutor"/>; <see cref="Validate"/> names every bad value.</summary>
public sealed record ModelExecutorOptions
{
    /// <summary>The backend: "simd" (the project's CPU kernel, default) or another registered one.</summary>
    public string Backend { get; init; } = SimdStepBackend.BackendName;

    /// <summary>Most shoppers stepped in one batch; a full batch is run at once. Default 512.</summary>
    public int MaxBatch { get; init; } = 512;

    /// <summary>
    /// How long a batch that is not full waits for more requests once the queue is empty, as long as requests keep
    /// arriving within this time. Zero (default): run as soon as the queue is empty — requests that arrive while a
    /// batch runs form the next one, so batches grow with load without adding latency at low load.
    /// </summary>
    public TimeSpan QuietPeriod { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// When fewer than <see cref="MaxBatch"/> requests wait, the flush loop first goes once to the back of the thread
    /// pool's queue, so grain turns already queued (each about to add its request) run before the batch is cut. Batches
    /// then grow with the load without a timed wait; on an idle silo the loop runs again at once. Default true.
    /// </summary>
    public bool YieldBeforePartialBatch { get; init; } = true;

    /// <summary>
    /// The per-event peer, for comparison only: each grain steps its own event on its own thread as a batch of one (a
    /// backend per concurrent caller, no queue, no batching across grains), as a silo built without the executor
    /// would. Default false (batched).
    /// </summary>
    public bool PerEvent { get; init; }

    /// <summary>Threads one large batch of the SIMD backend is split across. Default 1 (grains use the other cores).</summary>
    public int DegreeOfParallelism { get; init; } = 1;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting and what is expected.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Backend))
            throw new ArgumentException("ModelExecutorOptions.Backend is blank; expected a backend name such as \"simd\".", nameof(Backend));
        if (MaxBatch is < 1 or > 65_536)
            throw new ArgumentException($"ModelExecutorOptions.MaxBatch is {MaxBatch}; expected 1 to 65,536 rows.", nameof(MaxBatch));
        if (QuietPeriod < TimeSpan.Zero || QuietPeriod > TimeSpan.FromMilliseconds(100))
            throw new ArgumentException($"ModelExecutorOptions.QuietPeriod is {QuietPeriod}; expected 0 to 100 ms.", nameof(QuietPeriod));
        if (DegreeOfParallelism is < 1 or > 256)
            throw new ArgumentException($"ModelExecutorOptions.DegreeOfParallelism is {DegreeOfParallelism}; expected 1 to 256.", nameof(DegreeOfParallelism));
    }
}
