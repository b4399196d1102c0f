using System.Text.Json.Serialization;

namespace MicroMoment.Client;

/// <summary>Where an offer is in its life.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<OfferStatus>))]
public enum OfferStatus
{
    /// <summary>Sent, not yet shown.</summary>
    Proposed,

    /// <summary>Shown to the shopper.</summary>
    Shown,

    /// <summary>Clicked.</summary>
    Clicked,

    /// <summary>Dismissed.</summary>
    Dismissed,

    /// <summary>A purchase followed.</summary>
    Converted,

    /// <summary>Never shown; timed out.</summary>
    Expired,
}
