using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MicroMoment.Reporting;

/// <summary>
/// Writes metrics as JSON: indented, camelCase property names, enums as camelCase strings. JSON has no NaN or
/// infinity, so every non-finite double or float (e.g. an AUC that is NaN because a class is absent) is written as
/// <c>null</c>; reading null back into a double or float gives NaN.
/// </summary>
public static class MetricsJson
{
    /// <summary>The serializer settings used by <see cref="Serialize"/> and <see cref="Write"/>.</summary>
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The JSON text of <paramref name="model"/> (serialised by its runtime type).</summary>
    public static string Serialize(object model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return JsonSerializer.Serialize(model, model.GetType(), Options);
    }

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> as UTF-8 JSON with a final newline, creating the folder.</summary>
    public static void Write(string path, object model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string json = Serialize(model);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        File.WriteAllText(path, json + "\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DictionaryKeyPolicy = JsonNamingPolicy.CamelCase,
            IncludeFields = false,
        };
        options.Converters.Add(new NonFiniteDoubleAsNull());
        options.Converters.Add(new NonFiniteFloatAsNull());
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private sealed class NonFiniteDoubleAsNull : JsonConverter<double>
    {
        public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

        public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
        {
            if (double.IsFinite(value)) writer.WriteNumberValue(value); else writer.WriteNullValue();
        }
    }

    private sealed class NonFiniteFloatAsNull : JsonConverter<float>
    {
        public override float Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? float.NaN : reader.GetSingle();

        public override void Write(Utf8JsonWriter writer, float value, JsonSerializerOptions options)
        {
            if (float.IsFinite(value)) writer.WriteNumberValue(value); else writer.WriteNullValue();
        }
    }
}
