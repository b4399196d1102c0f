namespace MicroMoment.Events;

/// <summary>The kind of a shopper interaction. Unknown source types are kept as <see cref="Other"/>.</summary>
[Orleans.GenerateSerializer]
[Orleans.Alias("mm.EventType")]
public enum EventType : byte
{
    /// <summary>A product or page view.</summary>
    View = 0,

    /// <summary>An add-to-cart.</summary>
    Cart = 1,

    /// <summary>A removal from the cart.</summary>
    RemoveFromCart = 2,

    /// <summary>A completed purchase.</summary>
    Purchase = 3,

    /// <summary>Any other source type; the original name is kept in <see cref="ClickEvent.RawType"/>.</summary>
    Other = 4,
}
