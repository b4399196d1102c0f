namespace MicroMoment.Silo.Grains;

/// <summary>Why an event was not applied (codes: <see cref="DropReasons.Code"/>).</summary>
internal enum DropReason : byte
{
    /// <summary>No tenant.</summary>
    MissingTenant,

    /// <summary>No user id.</summary>
    MissingUser,

    /// <summary>The timestamp's kind is not UTC.</summary>
    TimestampNotUtc,

    /// <summary>Price is infinite.</summary>
    NonFinitePrice,

    /// <summary>Price is negative.</summary>
    NegativePrice,

    /// <summary>Type is not a defined EventType.</summary>
    UnknownType,

    /// <summary>Product or category id is negative.</summary>
    NegativeId,

    /// <summary>The encoded features were not finite.</summary>
    NonFiniteFeatures,

    /// <summary>The grain's stored state could not be read.</summary>
    StorageUnavailable,

    /// <summary>An unexpected failure while scoring.</summary>
    InternalError,

    /// <summary>The event id was applied before.</summary>
    Duplicate,

    /// <summary>The shopper opted out of tracking.</summary>
    OptedOut,

    /// <summary>The silo had as many events in hand as it takes (its queue capacity), or Orleans shed the call.</summary>
    Overloaded,

    /// <summary>The event names another shopper than the grain it was sent to (an Orleans client's mistake).</summary>
    ShopperMismatch,

    /// <summary>The silo is shutting down.</summary>
    ShuttingDown,

    /// <summary>An id the grain no longer remembers on an event older than the newest it applied (taken as a re-delivery).</summary>
    LateDuplicate,
}
