namespace MicroMoment.Events;

/// <summary>Parsing and naming of <see cref="EventType"/> values as they appear in logs and on the wire.</summary>
public static class EventTypes
{
    /// <summary>Number of distinct <see cref="EventType"/> values.</summary>
    public const int Count = 5;

    /// <summary>Maps a source type name to an <see cref="EventType"/>; unknown names map to <see cref="EventType.Other"/>.</summary>
    public static EventType Parse(ReadOnlySpan<char> name)
    {
        if (name.Equals("view", StringComparison.OrdinalIgnoreCase)) return EventType.View;
        if (name.Equals("cart", StringComparison.OrdinalIgnoreCase)) return EventType.Cart;
        if (name.Equals("remove_from_cart", StringComparison.OrdinalIgnoreCase)) return EventType.RemoveFromCart;
        if (name.Equals("purchase", StringComparison.OrdinalIgnoreCase)) return EventType.Purchase;
        return EventType.Other;
    }

    /// <summary>The canonical wire name of a type.</summary>
    public static string Name(EventType type) => type switch
    {
        EventType.View => "view",
        EventType.Cart => "cart",
        EventType.RemoveFromCart => "remove_from_cart",
        EventType.Purchase => "purchase",
        _ => "other",
    };
}
