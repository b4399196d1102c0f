namespace MicroMoment.Silo;

/// <summary>Settings of a MicroMoment silo (its grains, executor and storage); <see cref="Validate"/> names every bad value.</summary>
public sealed record SiloOptions
{
    /// <summary>Events the silo takes in at once (submitted and not yet answered); beyond it events are answered <see cref="IngestStatus.Overloaded"/>. Default 65,536.</summary>
    public int QueueCapacity { get; init; } = 65_536;

    /// <summary>Most shoppers the model executor steps in one batch. Default 512.</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>The executor's backend: "simd" (the project's CPU kernel, default), "onnx-cpu", "onnx-cuda" or "auto" (CUDA when it starts here, else simd). A named backend that cannot start fails the silo's start.</summary>
    public string Backend { get; init; } = Execution.SimdStepBackend.BackendName;

    /// <summary>How long a batch that is not full waits for more steps once the queue is empty. Zero (default): it runs at once.</summary>
    public TimeSpan BatchQuietPeriod { get; init; } = TimeSpan.Zero;

    /// <summary>Whether the executor lets queued grain turns run once before it cuts a batch that is not full (see <see cref="Execution.ModelExecutorOptions.YieldBeforePartialBatch"/>). Default true.</summary>
    public bool BatchYield { get; init; } = true;

    /// <summary>
    /// The per-event peer, for comparison only: each user grain steps its own event as a batch of one on its own
    /// thread instead of handing it to the batched executor (see <see cref="Execution.ModelExecutorOptions.PerEvent"/>).
    /// Default false.
    /// </summary>
    public bool PerEventSteps { get; init; }

    /// <summary>How long a user grain may go without messages before Orleans collects it (writing its state first). Default (null): the model's session timeout.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>Folder of the SQLite grain storage (created if missing). Null: no persistence (state lives only while activated).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>When grain state is written: at checkpoints (default) or after every event.</summary>
    public Durability Durability { get; init; } = Durability.Checkpoint;

    /// <summary>With <see cref="Durability.Checkpoint"/>: a grain writes its state at most this long after it changed. Default 1 second.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>With <see cref="Durability.Checkpoint"/>: a grain also writes its state once this many changes are unwritten. Default 64.</summary>
    public int CheckpointEvents { get; init; } = 64;

    /// <summary>Events of the current session each user grain keeps for the user view (oldest dropped). Default 64.</summary>
    public int TimelineCapacity { get; init; } = 64;

    /// <summary>
    /// Recent event ids each user grain remembers for de-duplication. Default 256: a retry is recognized by id alone
    /// while fewer than 256 of the shopper's events came after it (and by its original timestamp beyond that).
    /// </summary>
    public int DedupCapacity { get; init; } = 256;

    /// <summary>The trigger policy.</summary>
    public TriggerPolicyOptions Trigger { get; init; } = new();

    /// <summary>A policy file (YAML, or JSON for .json) that replaces <see cref="Trigger"/>'s rules; watched and reloaded on change. Null: the built-in policy from <see cref="Trigger"/>.</summary>
    public string? PolicyPath { get; init; }

    /// <summary>How often the policy file is polled as a fallback to file-system notifications. Default 5 seconds.</summary>
    public TimeSpan PolicyPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A grain state write pending this long while no write completes marks the silo not ready (an unresponsive store:
    /// writes hang rather than fail). Default 5 s.
    /// </summary>
    public TimeSpan WriteStallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting and what is expected.</summary>
    public void Validate()
    {
        if (QueueCapacity < 1)
            throw new ArgumentException($"SiloOptions.QueueCapacity is {QueueCapacity}; expected at least 1 event.", nameof(QueueCapacity));
        if (BatchSize is < 1 or > 65_536)
            throw new ArgumentException($"SiloOptions.BatchSize is {BatchSize}; expected 1 to 65,536 shoppers.", nameof(BatchSize));
        if (string.IsNullOrWhiteSpace(Backend))
            throw new ArgumentException("SiloOptions.Backend is blank; expected a backend name such as \"simd\".", nameof(Backend));
        if (!Execution.StepBackendFactory.Names.Contains(Backend.Trim().ToLowerInvariant()))
            throw new ArgumentException($"SiloOptions.Backend is '{Backend}'; expected one of {string.Join(", ", Execution.StepBackendFactory.Names)}.", nameof(Backend));
        if (BatchQuietPeriod < TimeSpan.Zero || BatchQuietPeriod > TimeSpan.FromMilliseconds(100))
            throw new ArgumentException($"SiloOptions.BatchQuietPeriod is {BatchQuietPeriod}; expected 0 to 100 ms.", nameof(BatchQuietPeriod));
        if (IdleTimeout is { } idle && (idle < TimeSpan.FromSeconds(1) || idle > TimeSpan.FromDays(3650)))
            throw new ArgumentException($"SiloOptions.IdleTimeout is {idle}; expected 1 second to 3,650 days, or null for the model's session timeout.", nameof(IdleTimeout));
        if (DataDirectory is not null && string.IsNullOrWhiteSpace(DataDirectory))
            throw new ArgumentException("SiloOptions.DataDirectory is blank; expected a folder path, or null for no persistence.", nameof(DataDirectory));
        if (!Enum.IsDefined(Durability))
            throw new ArgumentException($"SiloOptions.Durability is {(int)Durability}; expected Checkpoint or EveryEvent.", nameof(Durability));
        if (CheckpointInterval <= TimeSpan.Zero || CheckpointInterval > TimeSpan.FromHours(1))
            throw new ArgumentException($"SiloOptions.CheckpointInterval is {CheckpointInterval}; expected more than zero and at most one hour.", nameof(CheckpointInterval));
        if (CheckpointEvents is < 1 or > 1_000_000)
            throw new ArgumentException($"SiloOptions.CheckpointEvents is {CheckpointEvents}; expected 1 to 1,000,000 changes.", nameof(CheckpointEvents));
        if (TimelineCapacity is < 1 or > 10_000)
            throw new ArgumentException($"SiloOptions.TimelineCapacity is {TimelineCapacity}; expected 1 to 10,000 events.", nameof(TimelineCapacity));
        if (DedupCapacity is < 1 or > 10_000)
            throw new ArgumentException($"SiloOptions.DedupCapacity is {DedupCapacity}; expected 1 to 10,000 ids.", nameof(DedupCapacity));
        if (Trigger is null)
            throw new ArgumentException("SiloOptions.Trigger is null; expected a TriggerPolicyOptions (use new() for the defaults).", nameof(Trigger));
        Trigger.Validate();
        if (PolicyPath is not null && string.IsNullOrWhiteSpace(PolicyPath))
            throw new ArgumentException("SiloOptions.PolicyPath is blank; expected a policy file path, or null for the built-in policy.", nameof(PolicyPath));
        if (PolicyPollInterval <= TimeSpan.Zero)
            throw new ArgumentException($"SiloOptions.PolicyPollInterval is {PolicyPollInterval}; expected a positive time.", nameof(PolicyPollInterval));
        if (WriteStallTimeout <= TimeSpan.Zero || WriteStallTimeout > TimeSpan.FromMinutes(10))
            throw new ArgumentException($"SiloOptions.WriteStallTimeout is {WriteStallTimeout}; expected more than zero and at most 10 minutes.", nameof(WriteStallTimeout));
    }
}
