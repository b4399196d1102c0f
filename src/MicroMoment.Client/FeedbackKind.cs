using System.Text.Json.Serialization;

namespace MicroMoment.Client;

/// <summary>What a client reports about an offer.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<FeedbackKind>))]
public enum FeedbackKind
{
    /// <summary>Displayed.</summary>
    Shown,

    /// <summary>Clicked.</summary>
    Clicked,

    /// <summary>Dismissed.</summary>
    Dismissed,

    /// <summary>Bought after it.</summary>
    Converted,
}
