using System.Text.Json;
using System.Text.Json.Serialization;

namespace MicroMoment.Client;

/// <summary>Writes and reads enum values as their snake_case wire names (RemoveFromCart ↔ "remove_from_cart").</summary>
/// <typeparam name="T">The enum.</typeparam>
public sealed class SnakeCaseEnumConverter<T>() : JsonStringEnumConverter<T>(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)
    where T : struct, Enum;
