namespace MicroMoment.Silo;

/// <summary>A snapshot of what the silo has done and holds now.</summary>
/// <param name="EventsAccepted">Events applied.</param>
/// <param name="EventsByStatus">Events per <see cref="IngestStatus"/> (name → count).</param>
/// <param name="DropsByReason">Rejected or dropped events per reason code.</param>
/// <param name="OffersFired">Offers fired.</param>
/// <param name="SuppressionsByReason">Decisions not to fire, per reason.</param>
/// <param name="LiveActivations">Grains active in memory now.</param>
/// <param name="Activations">Activations over the silo's life.</param>
/// <param name="Deactivations">Deactivations over the silo's life (idle or evicted).</param>
/// <param name="QueueDepths">Pending messages per partition.</param>
/// <param name="QueueCapacity">Capacity of each partition's queue.</param>
/// <param name="ProcessingLatencyBuckets">Histogram of event processing latency (enqueue to decision): upper bounds in seconds → cumulative counts, Prometheus style.</param>
/// <param name="ProcessingLatencySum">Sum of the observed latencies, seconds.</param>
/// <param name="ProcessingLatencyCount">Number of observed latencies.</param>
/// <param name="PendingWrites">Grain states waiting for the write-behind flush.</param>
/// <param name="Ready">True while the silo accepts every event: started, not shutting down, no partition lost to another owner, storage writes succeeding.</param>
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
    IReadOnlyList<KeyValuePair<double, long>> ProcessingLatencyBuckets,
    double ProcessingLatencySum,
    long ProcessingLatencyCount,
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

    /// <summary>Deactivations forced by the activation cap (least recently used first).</summary>
    public long Evictions { get; init; }

    /// <summary>Grain rows written (or deleted) by the write-behind.</summary>
    public long WritesCommitted { get; init; }

    /// <summary>Grain writes refused because a newer partition epoch owns the row or the partition.</summary>
    public long WritesFenced { get; init; }

    /// <summary>Write-behind rounds that failed and were retried.</summary>
    public long WriteFailures { get; init; }

    /// <summary>Batched network steps run (one matrix product per wave of distinct users).</summary>
    public long NetworkSteps { get; init; }

    /// <summary>User steps over all batched network steps (divided by <see cref="NetworkSteps"/>: the mean batch).</summary>
    public long NetworkRows { get; init; }

    /// <summary>Time a user grain takes to apply one scored event (scores, its trigger decision, any offer): upper bounds in seconds → cumulative counts.</summary>
    public IReadOnlyList<KeyValuePair<double, long>> GrainTurnBuckets { get; init; } = [];

    /// <summary>Time of one batched network step (a wave of distinct users): upper bounds in seconds → cumulative counts.</summary>
    public IReadOnlyList<KeyValuePair<double, long>> NetworkStepBuckets { get; init; } = [];

    /// <summary>The running trigger policy (version, source, loaded-at, rules) and the reload history; null from silos that do not report it.</summary>
    public PolicyStatus? Policy { get; init; }

    /// <summary>Monitoring alerts judged against the running policy's limits over <see cref="AlertWindow"/> (empty from silos that do not judge them).</summary>
    public IReadOnlyList<AlertStatus> Alerts { get; init; } = [];

    /// <summary>The sliding window the alerts are judged over.</summary>
    public TimeSpan AlertWindow { get; init; }

    /// <summary>Why <see cref="Ready"/> is false (null while ready, and from silos that do not say).</summary>
    public string? NotReadyReason { get; init; }

    /// <summary>Partitions this silo lost to a newer owner (it no longer takes their events).</summary>
    public int FencedPartitions { get; init; }
}
