namespace MicroMoment.Silo;

/// <summary>The kind of intervention an offer makes.</summary>
[GenerateSerializer]
[Alias("mm.OfferType")]
public enum OfferType
{
    /// <summary>A message shown over the page.</summary>
    Popup,

    /// <summary>A price incentive.</summary>
    Discount,

    /// <summary>Products suggested from the session.</summary>
    Recommendation,

    /// <summary>Help that removes friction, e.g. "skip input?".</summary>
    Assist,
}
