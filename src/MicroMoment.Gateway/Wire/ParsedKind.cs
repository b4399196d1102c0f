namespace MicroMoment.Gateway.Wire;

/// <summary>What a parsed wire event turned out to be.</summary>
internal enum ParsedKind : byte
{
    /// <summary>A shopper event the model steps on (view, cart, remove_from_cart, purchase).</summary>
    Event,

    /// <summary>A tracker signal (dwell, hesitation, scroll, ...): recorded, never stepped.</summary>
    Signal,

    /// <summary>Invalid; <see cref="ParsedEvent.RejectCode"/> says why.</summary>
    Rejected,
}
