namespace MicroMoment.Silo;

/// <summary>Settings of an <see cref="EmbeddedSilo"/>; <see cref="Validate"/> names every bad value.</summary>
public sealed record SiloOptions
{
    /// <summary>Number of partitions users are hashed to (the unit of ordering and ownership). Default 64.</summary>
    public int Partitions { get; init; } = 64;

    /// <summary>Events each partition may hold waiting; beyond it events are answered <see cref="IngestStatus.Overloaded"/>. Default 8,192.</summary>
    public int QueueCapacity { get; init; } = 8_192;

    /// <summary>Most events a worker takes from one partition per batch (one network step per wave of distinct users). Default 512.</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>Worker threads that drain the partitions (partition p belongs to worker p mod count). Default: processor count, at most the partition count.</summary>
    public int? WorkerCount { get; init; }

    /// <summary>How long a grain may go without messages before it is flushed and deactivated. Default (null): the model's session timeout.</summary>
    public TimeSpan? IdleTimeout { get; init; }

    /// <summary>Most user grains in memory; each partition holds at most its share (cap / partitions, at least 1) and evicts the least recently used beyond it. Default 2,000,000.</summary>
    public int MaxActivations { get; init; } = 2_000_000;

    /// <summary>Folder of the SQLite state file (created if missing). Null: no persistence (state lives only while activated).</summary>
    public string? DataDirectory { get; init; }

    /// <summary>How often dirty grain states are written behind to storage. Default 1 second.</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Events of the current session each user grain keeps for the user view (oldest dropped). Default 64.</summary>
    public int TimelineCapacity { get; init; } = 64;

    /// <summary>
    /// Event ids each user grain remembers for de-duplication: a retried id is recognized while it is among the
    /// shopper's last <see cref="DedupCapacity"/> ids, and after that when it carries its original timestamp (it is then
    /// older than the shopper's latest event). 8 bytes per id, in memory and in the stored state. Default 256.
    /// </summary>
    public int DedupCapacity { get; init; } = 256;

    /// <summary>The trigger policy.</summary>
    public TriggerPolicyOptions Trigger { get; init; } = new();

    /// <summary>A policy file (YAML, or JSON for .json) that replaces <see cref="Trigger"/>'s rules; watched and reloaded on change. Null: the built-in policy from <see cref="Trigger"/>.</summary>
    public string? PolicyPath { get; init; }

    /// <summary>How often the policy file is polled as a fallback to file-system notifications. Default 5 seconds.</summary>
    public TimeSpan PolicyPollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Receives operational messages (activation of the store, fenced writes, write failures); null: silent.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting and what is expected.</summary>
    public void Validate()
    {
        if (Partitions is < 1 or > 4096)
            throw new ArgumentException($"SiloOptions.Partitions is {Partitions}; expected 1 to 4096.", nameof(Partitions));
        if (QueueCapacity < 1)
            throw new ArgumentException($"SiloOptions.QueueCapacity is {QueueCapacity}; expected at least 1 event per partition.", nameof(QueueCapacity));
        if (BatchSize is < 1 or > 65_536)
            throw new ArgumentException($"SiloOptions.BatchSize is {BatchSize}; expected 1 to 65,536 events.", nameof(BatchSize));
        if (WorkerCount is { } workers && (workers < 1 || workers > Partitions))
            throw new ArgumentException($"SiloOptions.WorkerCount is {workers}; expected 1 to Partitions ({Partitions}), or null for the processor count.", nameof(WorkerCount));
        if (IdleTimeout is { } idle && idle <= TimeSpan.Zero)
            throw new ArgumentException($"SiloOptions.IdleTimeout is {idle}; expected a positive time, or null for the model's session timeout.", nameof(IdleTimeout));
        if (MaxActivations < 1)
            throw new ArgumentException($"SiloOptions.MaxActivations is {MaxActivations}; expected at least 1.", nameof(MaxActivations));
        if (DataDirectory is not null && string.IsNullOrWhiteSpace(DataDirectory))
            throw new ArgumentException("SiloOptions.DataDirectory is blank; expected a folder path, or null for no persistence.", nameof(DataDirectory));
        if (FlushInterval <= TimeSpan.Zero || FlushInterval > TimeSpan.FromHours(1))
            throw new ArgumentException($"SiloOptions.FlushInterval is {FlushInterval}; expected more than zero and at most one hour.", nameof(FlushInterval));
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
    }
}
