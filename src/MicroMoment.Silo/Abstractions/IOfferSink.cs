namespace MicroMoment.Silo;

/// <summary>Receives offers of watched shoppers; the gateway implements it to push offers to the shopper's open connection.</summary>
public interface IOfferSink
{
    /// <summary>Called as an offer arrives from its trigger grain; must not block (queue and return).</summary>
    void Deliver(Offer offer);
}
