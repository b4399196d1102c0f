using System.Text.Json.Serialization;

namespace MicroMoment.Client;

/// <summary>The shopper's intent as the model reads it.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<Intent>))]
public enum Intent
{
    /// <summary>Looking around.</summary>
    Research,

    /// <summary>Likely to buy in this session.</summary>
    Buy,

    /// <summary>Likely to leave.</summary>
    Exit,
}
