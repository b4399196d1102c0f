namespace MicroMoment.Silo;

/// <summary>What a client reports about an offer (POST /v1/offers/{id}/feedback).</summary>
[GenerateSerializer]
[Alias("mm.OfferFeedback")]
public enum OfferFeedback
{
    /// <summary>The offer was displayed.</summary>
    Shown,

    /// <summary>The shopper clicked it.</summary>
    Clicked,

    /// <summary>The shopper dismissed it.</summary>
    Dismissed,

    /// <summary>The shopper bought after it.</summary>
    Converted,
}
