namespace MicroMoment.Silo;

/// <summary>Where an offer is in its life.</summary>
[GenerateSerializer]
[Alias("mm.OfferState")]
public enum OfferState
{
    /// <summary>Sent to the client, not yet confirmed as shown.</summary>
    Proposed,

    /// <summary>The client showed it.</summary>
    Shown,

    /// <summary>The shopper clicked it.</summary>
    Clicked,

    /// <summary>The shopper dismissed it.</summary>
    Dismissed,

    /// <summary>A purchase followed and was attributed to it.</summary>
    Converted,

    /// <summary>It was never confirmed and timed out.</summary>
    Expired,
}
