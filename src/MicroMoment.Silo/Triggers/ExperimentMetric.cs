namespace MicroMoment.Silo.Triggers;

/// <summary>What the attribution ledger counts per experiment and variant.</summary>
public enum ExperimentMetric
{
    /// <summary>Shoppers who reached a fire point (offer proposed, or would have been for the holdout), once each.</summary>
    Exposures,

    /// <summary>Offers proposed.</summary>
    Proposals,

    /// <summary>Offers confirmed shown.</summary>
    Shows,

    /// <summary>Offers clicked.</summary>
    Clicks,

    /// <summary>Offers dismissed.</summary>
    Dismissals,

    /// <summary>Exposed shoppers who bought within the attribution window after their latest fire point, once each.</summary>
    Conversions,

    /// <summary>Shown or clicked offers credited with a purchase within the attribution window.</summary>
    AttributedOffers,

    /// <summary>Offers that expired unconfirmed (never shown within the policy's proposal time to live, by the silo clock).</summary>
    Expirations,
}
