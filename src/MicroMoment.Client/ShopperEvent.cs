namespace MicroMoment.Client;

/// <summary>One shopper event as sent to POST /v1/events or the stream. The tenant comes from the key.</summary>
/// <remarks>
/// An event gets its <see cref="EventId"/> and <see cref="Timestamp"/> when it is created, so sending the same object
/// again (a retry after a timeout, a lost connection or an overloaded answer) carries the same id and the same time,
/// and the silo recognizes it as a duplicate however many of the shopper's events came in between.
/// </remarks>
public sealed record ShopperEvent
{
    /// <summary>Unique id used for de-duplication; a random one by default. Set null and the client assigns a new random id at each send, which makes a retry of that object a new event.</summary>
    public string? EventId { get; init; } = Guid.NewGuid().ToString("N");

    /// <summary>The shopper's id.</summary>
    public required string UserId { get; init; }

    /// <summary>View, cart, remove_from_cart, purchase or signal.</summary>
    public required EventKind Type { get; init; }

    /// <summary>
    /// When it happened; by default the moment the object was created (this machine's clock, which the gateway accepts up
    /// to 5 minutes ahead of its own). Null lets the gateway stamp the arrival time, so a retry of the event is stamped
    /// anew and is recognized only while its id is among the shopper's last ids (256 by default).
    /// </summary>
    public DateTimeOffset? Timestamp { get; init; } = DateTimeOffset.UtcNow;

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
