using MicroMoment.Silo.Triggers;

namespace MicroMoment.Silo.Grains;

/// <summary>
/// The trigger state of one shopper, co-located with (and owned by) the user grain: when the last offer fired,
/// how many offers the current session had, and the recent offers with their life cycle. Created at the first
/// offer, so shoppers who never got one carry no trigger state. Turn-based like its user grain: no locks.
/// </summary>
internal sealed class TriggerGrain
{
    private readonly List<OfferRecord> _offers = new(1);

    /// <summary>The gate state the policy's rules run over.</summary>
    public TriggerState State { get; set; } = new();

    /// <summary>Sequence number of the next offer (part of its id).</summary>
    public int NextSequence { get; set; }

    /// <summary>The remembered offers, oldest first.</summary>
    public IReadOnlyList<OfferRecord> Offers => _offers;

    /// <summary>Remembers a fired offer, forgetting the oldest beyond <paramref name="memory"/>; returns the forgotten one.</summary>
    public OfferRecord? Add(OfferRecord record, int memory)
    {
        _offers.Add(record);
        if (_offers.Count <= memory) return null;
        var forgotten = _offers[0];
        _offers.RemoveAt(0);
        return forgotten;
    }

    /// <summary>Restores a remembered offer (storage).</summary>
    public void Restore(OfferRecord record) => _offers.Add(record);

    /// <summary>
    /// Moves proposals older than <paramref name="timeToLive"/> at <paramref name="nowTicks"/> (silo clock) to Expired;
    /// calls <paramref name="expired"/> for each and returns how many.
    /// </summary>
    public int ExpireProposals(long nowTicks, TimeSpan timeToLive, Action<OfferRecord>? expired = null)
    {
        int count = 0;
        foreach (var record in _offers)
        {
            if (record.Offer.State == OfferState.Proposed && nowTicks - record.ProposedAtTicks > timeToLive.Ticks)
            {
                record.Offer = record.Offer with { State = OfferState.Expired };
                expired?.Invoke(record);
                count++;
            }
        }

        return count;
    }

    /// <summary>The silo-clock time (UTC ticks) of the oldest proposal still waiting for "shown", or null when none waits.</summary>
    public long? OldestProposalTicks()
    {
        long? oldest = null;
        foreach (var record in _offers)
        {
            if (record.Offer.State == OfferState.Proposed && (oldest is null || record.ProposedAtTicks < oldest)) oldest = record.ProposedAtTicks;
        }

        return oldest;
    }

    /// <summary>The remembered offer with id <paramref name="offerId"/>, or null.</summary>
    public OfferRecord? Find(string offerId)
    {
        foreach (var record in _offers)
        {
            if (string.Equals(record.Offer.Id, offerId, StringComparison.Ordinal)) return record;
        }

        return null;
    }

    /// <summary>
    /// Applies client feedback: Proposed → Shown; Shown → Clicked, Dismissed or Converted; Clicked → Converted.
    /// Anything else (including repeating the current state, or any feedback on an expired offer) is refused.
    /// </summary>
    public FeedbackOutcome Apply(string offerId, OfferFeedback feedback) => Apply(offerId, feedback, out _);

    /// <summary>As <see cref="Apply(string, OfferFeedback)"/>, also giving the offer's record.</summary>
    public FeedbackOutcome Apply(string offerId, OfferFeedback feedback, out OfferRecord? record)
    {
        record = Find(offerId);
        if (record is null) return FeedbackOutcome.UnknownOffer;
        var from = record.Offer.State;
        OfferState? to = (feedback, from) switch
        {
            (OfferFeedback.Shown, OfferState.Proposed) => OfferState.Shown,
            (OfferFeedback.Clicked, OfferState.Shown) => OfferState.Clicked,
            (OfferFeedback.Dismissed, OfferState.Shown) => OfferState.Dismissed,
            (OfferFeedback.Converted, OfferState.Shown or OfferState.Clicked) => OfferState.Converted,
            _ => null,
        };
        if (to is null) return FeedbackOutcome.InvalidTransition;
        record.Offer = record.Offer with { State = to.Value };
        State.DismissalStreak = to == OfferState.Dismissed ? State.DismissalStreak + 1 : to is OfferState.Clicked or OfferState.Converted ? 0 : State.DismissalStreak;
        return FeedbackOutcome.Recorded;
    }

    /// <summary>
    /// A purchase at <paramref name="eventTicks"/> (event time) converts the shown or clicked offers created within
    /// <paramref name="window"/> before it; calls <paramref name="credited"/> for each and returns how many.
    /// </summary>
    public int AttributePurchase(long eventTicks, TimeSpan window, Action<OfferRecord>? credited = null)
    {
        int converted = 0;
        foreach (var record in _offers)
        {
            long age = eventTicks - record.Offer.CreatedAt.Ticks;
            if (age >= 0 && age <= window.Ticks && record.Offer.State is OfferState.Shown or OfferState.Clicked)
            {
                record.Offer = record.Offer with { State = OfferState.Converted };
                credited?.Invoke(record);
                converted++;
            }
        }

        return converted;
    }
}
