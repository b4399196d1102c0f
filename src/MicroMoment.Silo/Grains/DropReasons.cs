namespace MicroMoment.Silo.Grains;

/// <summary>Reason codes and the shared outcomes that carry them (so dropping an event allocates nothing).</summary>
internal static class DropReasons
{
    private static readonly string[] Codes =
    [
        "missing-tenant", "missing-user", "timestamp-not-utc", "non-finite-price", "negative-price", "unknown-type",
        "negative-id", "non-finite-features", "storage-unavailable", "internal-error", "duplicate", "opted-out",
        "overloaded", "shopper-mismatch", "shutting-down", "late-duplicate",
    ];

    private static readonly IngestOutcome[] Outcomes = [.. Enumerable.Range(0, Codes.Length).Select(i => new IngestOutcome(StatusOf((DropReason)i), Codes[i]))];

    /// <summary>Number of reasons.</summary>
    public static int Count => Codes.Length;

    /// <summary>The code of a reason.</summary>
    public static string Code(DropReason reason) => Codes[(int)reason];

    /// <summary>The shared outcome for a reason.</summary>
    public static IngestOutcome Outcome(DropReason reason) => Outcomes[(int)reason];

    /// <summary>The status an event dropped for <paramref name="reason"/> gets.</summary>
    public static IngestStatus StatusOf(DropReason reason) => reason switch
    {
        DropReason.Duplicate or DropReason.LateDuplicate => IngestStatus.Duplicate,
        DropReason.OptedOut => IngestStatus.OptedOut,
        // A call that failed inside the cluster says nothing about the event: the client resends it (same id) rather than drop it as invalid.
        DropReason.Overloaded or DropReason.ShuttingDown or DropReason.StorageUnavailable or DropReason.InternalError => IngestStatus.Overloaded,
        _ => IngestStatus.Rejected,
    };
}
