using Orleans.Concurrency;
using MicroMoment.Silo;

namespace MicroMoment.Grains;

/// <summary>
/// A gateway (or .NET backend) that holds shoppers' connections: trigger grains push each fired offer of a watched
/// shopper to it, whichever silo the grain runs on.
/// </summary>
[Alias("mm.IOfferObserver")]
public interface IOfferObserver : IGrainObserver
{
    /// <summary>An offer was fired for a shopper this observer watches (one-way: the trigger grain does not wait).</summary>
    [OneWay]
    [Alias("Offer")]
    Task OnOfferAsync(Offer offer);
}

/// <summary>How long an offer watch lasts without renewal.</summary>
public static class OfferWatch
{
    /// <summary>A watch ends this long after it was made or last renewed.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(3);

    /// <summary>Watchers renew this often (a third of the lifetime: two renewals may be lost).</summary>
    public static readonly TimeSpan RenewEvery = TimeSpan.FromMinutes(1);
}
