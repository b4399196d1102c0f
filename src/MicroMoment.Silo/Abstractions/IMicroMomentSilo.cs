namespace MicroMoment.Silo;

/// <summary>
/// The front of an embedded silo, as the gateway and the CLI see it. Grain code behind it knows nothing of
/// transport or storage, so a clustered host can offer the same interface.
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

    /// <summary>Registers a sink that receives every fired offer.</summary>
    void Subscribe(IOfferSink sink);

    /// <summary>A consistent snapshot of the silo's counters and gauges for /metrics, /readyz and the dashboard.</summary>
    SiloStatistics GetStatistics();

    /// <summary>Every experiment's counts per arm (holdout included), conversion rates with Wilson intervals and lift
    /// against the holdout with the mSPRT's always-valid interval and p-value.</summary>
    ExperimentsReport GetExperiments();

    /// <summary>The model the silo scores with.</summary>
    Scoring.MicroMomentModel Model { get; }
}
