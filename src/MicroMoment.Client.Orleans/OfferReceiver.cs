using MicroMoment.Grains;
using MicroMoment.Silo;

namespace MicroMoment.Client.Orleans;

/// <summary>The client's offer observer: trigger grains push the offers of watched shoppers here, and it hands each to the shopper's subscriptions.</summary>
internal sealed class OfferReceiver(Action<Offer, Exception> callbackFailed) : IOfferObserver
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, OfferSubscription[]> _byKey = new(StringComparer.Ordinal);

    /// <summary>Every subscription now.</summary>
    public OfferSubscription[] All
    {
        get
        {
            lock (_gate) return [.. _byKey.Values.SelectMany(s => s)];
        }
    }

    public void Add(OfferSubscription subscription)
    {
        lock (_gate) _byKey[subscription.Key] = _byKey.TryGetValue(subscription.Key, out var present) ? [.. present, subscription] : [subscription];
    }

    public bool Remove(OfferSubscription subscription)
    {
        lock (_gate)
        {
            if (!_byKey.TryGetValue(subscription.Key, out var present) || Array.IndexOf(present, subscription) < 0) return false;
            if (present.Length == 1) _byKey.Remove(subscription.Key);
            else _byKey[subscription.Key] = [.. present.Where(s => s != subscription)];
            return true;
        }
    }

    public Task OnOfferAsync(Offer offer)
    {
        if (offer is null) return Task.CompletedTask;
        OfferSubscription[]? subscriptions;
        lock (_gate) _byKey.TryGetValue(string.Concat(offer.Tenant, "/", offer.UserId), out subscriptions);
        if (subscriptions is null) return Task.CompletedTask;
        foreach (var subscription in subscriptions)
        {
            try
            {
                subscription.Deliver(offer);
            }
            catch (Exception ex)
            {
                callbackFailed(offer, ex);
            }
        }

        return Task.CompletedTask;
    }
}
