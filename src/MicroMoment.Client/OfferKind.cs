using System.Text.Json.Serialization;

namespace MicroMoment.Client;

/// <summary>The kind of intervention an offer makes.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<OfferKind>))]
public enum OfferKind
{
    /// <summary>A message over the page.</summary>
    Popup,

    /// <summary>A price incentive.</summary>
    Discount,

    /// <summary>Suggested products.</summary>
    Recommendation,

    /// <summary>Help that removes friction.</summary>
    Assist,
}
