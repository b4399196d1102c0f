namespace MicroMoment.Client;

/// <summary>One shopper event as sent to POST /v1/events or the stream. The tenant comes from the key.</summary>
public sealed record ShopperEvent
{
    /// <summary>Unique id used for de-duplication; the client assigns a random one when null.</summary>
    public string? EventId { get; init; }

    /// <summary>The shopper's id.</summary>
    public required string UserId { get; init; }

    /// <summary>View, cart, remove_from_cart, purchase or signal.</summary>
    public required EventKind Type { get; init; }

    /// <summary>When it happened; null means "now" at the gateway.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>The product (0 or null: none).</summary>
    public long? ProductId { get; init; }

    /// <summary>The category id.</summary>
    public long? CategoryId { get; init; }

    /// <summary>Dotted category path, e.g. "electronics.smartphone".</summary>
    public string? CategoryCode { get; init; }

    /// <summary>The brand.</summary>
    public string? Brand { get; init; }

    /// <summary>Unit price.</summary>
    public double? Price { get; init; }

    /// <summary>Client context.</summary>
    public ShopperContext? Context { get; init; }

    /// <summary>The signal's name (signals only): dwell, hesitation, scroll, ...</summary>
    public string? Signal { get; init; }

    /// <summary>The signal's measurement (signals only): milliseconds, percent, ...</summary>
    public double? Value { get; init; }
}
