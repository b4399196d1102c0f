namespace MicroMoment.Silo;

/// <summary>What happened to one submitted event.</summary>
[GenerateSerializer]
[Alias("mm.IngestStatus")]
public enum IngestStatus
{
    /// <summary>Applied: the user's grain stepped the model on it.</summary>
    Accepted,

    /// <summary>Its event id was already applied; dropped and counted.</summary>
    Duplicate,

    /// <summary>Invalid (reason given); nothing was applied.</summary>
    Rejected,

    /// <summary>The user opted out of tracking; the event was not recorded.</summary>
    OptedOut,

    /// <summary>The partition's queue is full; retry later (the gateway answers 429/503 with Retry-After).</summary>
    Overloaded,
}
