namespace MicroMoment.Silo;

/// <summary>
/// The front of a MicroMoment silo as the gateway and the CLI see it: events in, answers, views, consent, erasure,
/// feedback and offers out. Grain code behind it knows nothing of transport; the silo's implementation calls grains.
/// </summary>
public interface IMicroMomentSilo : IAsyncDisposable
{
    /// <summary>Submits events (each with tenant, user and ideally an event id); answers per event, in order, after
    /// the owning grains processed them. Events of one user are applied in submission order.</summary>
    ValueTask<IReadOnlyList<IngestOutcome>> IngestAsync(IReadOnlyList<Events.ClickEvent> events, CancellationToken cancellationToken = default);

    /// <summary>The live view of one shopper, or null when the silo holds nothing for them.</summary>
    ValueTask<UserView?> GetUserAsync(string tenant, string userId, CancellationToken cancellationToken = default);

    /// <summary>Records feedback on an offer at <paramref name="at"/> (UTC).</summary>
    ValueTask<FeedbackOutcome> RecordFeedbackAsync(string offerId, OfferFeedback feedback, DateTime at, CancellationToken cancellationToken = default);

    /// <summary>Sets a shopper's consent. Withdrawing tracking consent also drops the shopper's stored session state.</summary>
    ValueTask SetConsentAsync(string tenant, string userId, Consent consent, CancellationToken cancellationToken = default);

    /// <summary>Erases all state of a shopper from memory and storage; true when there was any.</summary>
    ValueTask<bool> EraseUserAsync(string tenant, string userId, CancellationToken cancellationToken = default);

    /// <summary>Registers a sink that receives every offer fired for a watched shopper (<see cref="WatchAsync"/>).</summary>
    void Subscribe(IOfferSink sink);

    /// <summary>
    /// Has the shopper's offers delivered to the sinks (a connection of theirs opened here), wherever their grains run;
    /// calls nest: each watch needs its own <see cref="UnwatchAsync"/>.
    /// </summary>
    ValueTask WatchAsync(string tenant, string userId, CancellationToken cancellationToken = default);

    /// <summary>Ends one <see cref="WatchAsync"/> of the shopper.</summary>
    ValueTask UnwatchAsync(string tenant, string userId, CancellationToken cancellationToken = default);

    /// <summary>A consistent snapshot of the silo's counters and gauges for /metrics, /readyz and the dashboard.</summary>
    SiloStatistics GetStatistics();

    /// <summary>Every experiment's counts per arm (holdout included), conversion rates with Wilson intervals and lift
    /// against the holdout with the mSPRT's always-valid interval and p-value.</summary>
    ValueTask<ExperimentsReport> GetExperimentsAsync(CancellationToken cancellationToken = default);

    /// <summary>The model the silo scores with.</summary>
    Scoring.MicroMomentModel Model { get; }
}
