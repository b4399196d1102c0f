namespace MicroMoment.Silo;

/// <summary>A snapshot of what the silo has done and holds now (the same counters its meters publish; durations are histogram instruments only, see <see cref="Monitoring.SiloMeters"/>).</summary>
/// <param name="EventsAccepted">Events applied.</param>
/// <param name="EventsByStatus">Events per <see cref="IngestStatus"/> (name → count).</param>
/// <param name="DropsByReason">Rejected or dropped events per reason code.</param>
/// <param name="OffersFired">Offers fired.</param>
/// <param name="SuppressionsByReason">Decisions not to fire, per reason.</param>
/// <param name="LiveActivations">Grains active in memory now.</param>
/// <param name="Activations">Activations over the silo's life.</param>
/// <param name="Deactivations">Deactivations over the silo's life (idle collection, shutdown, erasure).</param>
/// <param name="QueueDepths">Events in hand (submitted, not yet answered): one entry, the silo's front.</param>
/// <param name="QueueCapacity">Most events the silo takes in at once.</param>
/// <param name="PendingWrites">Changes of active grains not yet written to storage (what a crash would lose at checkpoint durability).</param>
/// <param name="Ready">True while the silo accepts every event: started, not shutting down, storage writes succeeding.</param>
public sealed record SiloStatistics(
    long EventsAccepted,
    IReadOnlyDictionary<string, long> EventsByStatus,
    IReadOnlyDictionary<string, long> DropsByReason,
    long OffersFired,
    IReadOnlyDictionary<string, long> SuppressionsByReason,
    long LiveActivations,
    long Activations,
    long Deactivations,
    IReadOnlyList<int> QueueDepths,
    int QueueCapacity,
    long PendingWrites,
    bool Ready)
{
    /// <summary>Proposals that expired without being shown.</summary>
    public long OffersExpired { get; init; }

    /// <summary>Events whose <c>context.timeZone</c> named no known zone (the event was scored; the zone was ignored).</summary>
    public long UnknownTimeZones { get; init; }

    /// <summary>Shown or clicked offers converted by a purchase later in their session.</summary>
    public long OffersAttributed { get; init; }

    /// <summary>Feedback calls per <see cref="FeedbackOutcome"/> (name → count).</summary>
    public IReadOnlyDictionary<string, long> FeedbackByOutcome { get; init; } = new Dictionary<string, long>();


    /// <summary>Grain state writes (and clears) committed to storage.</summary>
    public long WritesCommitted { get; init; }


    /// <summary>Grain state writes that failed (the grains keep their changes and try again).</summary>
    public long WriteFailures { get; init; }

    /// <summary>Batches the model executor ran (one batched step of many shoppers each).</summary>
    public long NetworkSteps { get; init; }

    /// <summary>Shoppers stepped over all batches (divided by <see cref="NetworkSteps"/>: the mean batch).</summary>
    public long NetworkRows { get; init; }



    /// <summary>The running trigger policy (version, source, loaded-at, rules) and the reload history; null from silos that do not report it.</summary>
    public PolicyStatus? Policy { get; init; }


    /// <summary>The model executor's backend (e.g. "simd").</summary>
    public string? Backend { get; init; }

    /// <summary>Monitoring alerts judged against the running policy's limits over <see cref="AlertWindow"/> (empty from silos that do not judge them).</summary>
    public IReadOnlyList<AlertStatus> Alerts { get; init; } = [];

    /// <summary>The sliding window the alerts are judged over.</summary>
    public TimeSpan AlertWindow { get; init; }

    /// <summary>Why <see cref="Ready"/> is false (null while ready, and from silos that do not say).</summary>
    public string? NotReadyReason { get; init; }

}
