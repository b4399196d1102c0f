using System.Text.Json.Serialization;

namespace MicroMoment.Client;

/// <summary>What the gateway did with one event.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<EventStatus>))]
public enum EventStatus
{
    /// <summary>Applied (scored), or recorded for a signal.</summary>
    Accepted,

    /// <summary>Its event id was applied before; dropped.</summary>
    Duplicate,

    /// <summary>Invalid; see <see cref="EventResult.Reason"/> and <see cref="EventResult.Detail"/>.</summary>
    Rejected,

    /// <summary>The shopper opted out of tracking; not recorded.</summary>
    OptedOut,

    /// <summary>The silo was full; retry the event (same id) after the Retry-After delay.</summary>
    Overloaded,
}
