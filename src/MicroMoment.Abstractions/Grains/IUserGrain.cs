using MicroMoment.Silo;

namespace MicroMoment.Grains;

/// <summary>
/// The grain of one shopper (key <c>tenant/user</c>, see <see cref="GrainKeys"/>): the live session, its feature and
/// network state, the latest score, a bounded timeline, recently applied event ids, consent and time zone. It steps the
/// model once per event through its silo's batched executor and hands scores above a rule's threshold to its
/// <see cref="ITriggerGrain"/>.
/// </summary>
[Alias("mm.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>Applies the shopper's events in order and answers per event, in the same order.</summary>
    [Alias("Ingest")]
    Task<IngestOutcome[]> IngestAsync(EventBatch batch);

    /// <summary>The live view, or null when the silo holds nothing for the shopper.</summary>
    [Alias("View")]
    Task<UserView?> GetViewAsync();

    /// <summary>Sets consent; returns once it is stored. Withdrawing tracking erases the shopper's state but the withdrawal.</summary>
    [Alias("Consent")]
    Task SetConsentAsync(Consent consent);

    /// <summary>Erases everything the silo holds for the shopper (memory and storage); true when there was anything.</summary>
    [Alias("Erase")]
    Task<bool> EraseAsync();

    /// <summary>Records client feedback on one of the shopper's offers at <paramref name="at"/> (UTC).</summary>
    [Alias("Feedback")]
    Task<FeedbackOutcome> RecordFeedbackAsync(string offerId, OfferFeedback feedback, DateTime at);

    /// <summary>
    /// Has the shopper's offers pushed to <paramref name="observer"/> (a gateway holding the shopper's connection) for
    /// <see cref="OfferWatch.Lifetime"/>; watchers renew before it ends.
    /// </summary>
    [Alias("Watch")]
    Task WatchOffersAsync(IOfferObserver observer);

    /// <summary>
    /// Runs the grain's clock-driven duties now, by the silo clock: expires proposals past their lifetime and, when no
    /// message came for longer than the idle timeout, leaves memory (writing its changes). Orleans' idle collection and
    /// grain timers do the same on their own; this is for operators and for tests that drive the silo clock.
    /// </summary>
    [Alias("Maintain")]
    Task MaintainAsync();

    /// <summary>Writes the grain's unwritten changes (and its trigger's) now, whatever the durability.</summary>
    [Alias("Flush")]
    Task FlushAsync();

    /// <summary>Stops pushing the shopper's offers to <paramref name="observer"/>.</summary>
    [Alias("Unwatch")]
    Task UnwatchOffersAsync(IOfferObserver observer);
}
