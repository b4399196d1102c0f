using MicroMoment.Scoring;
using MicroMoment.Silo;

namespace MicroMoment.Grains;

/// <summary>
/// The trigger of one shopper (key <c>tenant/user</c>, placed with its user grain): runs the trigger policy over the
/// scores its user grain hands it (thresholds per cluster, confirmation, debounce, cooldown, caps, context, consent,
/// experiment arm), keeps the offers it fired through their life (proposed, shown, clicked, dismissed, converted,
/// expired), attributes purchases and pushes each offer to the gateways that watch the shopper.
/// </summary>
[Alias("mm.ITriggerGrain")]
public interface ITriggerGrain : IGrainWithStringKey
{
    /// <summary>Decides on one scored event.</summary>
    [Alias("Decide")]
    Task<TriggerDecision> DecideAsync(TriggerRequest request);

    /// <summary>Records client feedback on one of the shopper's offers at <paramref name="at"/> (UTC).</summary>
    [Alias("Feedback")]
    Task<FeedbackOutcome> RecordFeedbackAsync(string offerId, OfferFeedback feedback, DateTime at);

    /// <summary>The remembered offers in their current state, oldest first.</summary>
    [Alias("Offers")]
    Task<OfferSnapshot[]> GetOffersAsync();

    /// <summary>Pushes the shopper's offers to <paramref name="observer"/> for <see cref="OfferWatch.Lifetime"/>.</summary>
    [Alias("Watch")]
    Task WatchAsync(IOfferObserver observer);

    /// <summary>Stops pushing offers to <paramref name="observer"/>.</summary>
    [Alias("Unwatch")]
    Task UnwatchAsync(IOfferObserver observer);

    /// <summary>Expires the proposals past their lifetime by the silo clock now (the grain's timer does it on its own).</summary>
    [Alias("Expire")]
    Task ExpireAsync();

    /// <summary>Writes the grain's unwritten changes now, whatever the durability.</summary>
    [Alias("Flush")]
    Task FlushAsync();

    /// <summary>Forgets everything (offers, gates, counts) in memory and storage; true when there was anything.</summary>
    [Alias("Erase")]
    Task<bool> EraseAsync();
}

/// <summary>One scored event as the trigger policy sees it.</summary>
/// <param name="Score">The model's score after the event.</param>
/// <param name="HasCart">True when the session has had an add-to-cart.</param>
/// <param name="EventTicks">Event time (UTC ticks).</param>
/// <param name="SessionStartTicks">Start of the event's session (UTC ticks).</param>
/// <param name="Page">The page kind the event reported, or null.</param>
/// <param name="Consent">The shopper's consent.</param>
/// <param name="IsPurchase">True for a purchase.</param>
/// <param name="TimeZoneId">The shopper's time zone (IANA id), or null: the policy's.</param>
/// <param name="Skipped">Events of the shopper the user grain decided without the trigger since the last request (no rule at
/// its threshold): their history bits are zero and shift in before this event's.</param>
/// <param name="Subject">What an offer would be about.</param>
[GenerateSerializer]
[Alias("mm.TriggerRequest")]
[Immutable]
public sealed record TriggerRequest(
    EventScore Score, bool HasCart, long EventTicks, long SessionStartTicks, string? Page, Consent Consent, bool IsPurchase, string? TimeZoneId, int Skipped,
    OfferSubject Subject)
{
    /// <summary>The user grain's count of applied events after this one: with <see cref="EventKey"/> it names the event, so a
    /// request replayed after a crash gets the decision already made instead of a second one.</summary>
    [Id(10)]
    public long Sequence { get; init; }

    /// <summary>A hash of the event's id (or, without one, of its time, type and product).</summary>
    [Id(11)]
    public ulong EventKey { get; init; }
}

/// <summary>What an offer made now would be about: the product and category the session keeps returning to.</summary>
/// <param name="ProductId">The product (0 when none).</param>
/// <param name="CategoryId">The category (0 when none).</param>
/// <param name="CategoryCode">The category's code when known.</param>
/// <param name="PriceBand">"low", "mid" or "high" within the session's prices, or null.</param>
[GenerateSerializer]
[Alias("mm.OfferSubject")]
[Immutable]
public sealed record OfferSubject(long ProductId, long CategoryId, string? CategoryCode, string? PriceBand);

/// <summary>An offer as its trigger grain remembers it.</summary>
/// <param name="Offer">The offer in its current state.</param>
/// <param name="SessionStartTicks">Start (event time, UTC ticks) of the session that fired it.</param>
[GenerateSerializer]
[Alias("mm.OfferSnapshot")]
[Immutable]
public sealed record OfferSnapshot(Offer Offer, long SessionStartTicks);
