namespace MicroMoment.Silo;

/// <summary>Receives offers as grains fire them; the gateway implements it to push offers to the shopper's open connection.</summary>
public interface IOfferSink
{
    /// <summary>Called on the partition's worker right after the decision; must not block (queue and return).</summary>
    void Deliver(Offer offer);
}
