using System.Text.Json.Serialization;

namespace MicroMoment.Client;

/// <summary>The kind of a shopper event on the wire.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<EventKind>))]
public enum EventKind
{
    /// <summary>A page or product view ("view").</summary>
    View,

    /// <summary>An add-to-cart ("cart").</summary>
    Cart,

    /// <summary>A removal from the cart ("remove_from_cart").</summary>
    RemoveFromCart,

    /// <summary>A purchase ("purchase").</summary>
    Purchase,

    /// <summary>A behaviour signal such as dwell, hesitation or scroll ("signal"); recorded, never scored.</summary>
    Signal,
}
