using System.Text.Json;

namespace MicroMoment.Gateway.Streaming;

/// <summary>Tells what a client's WebSocket message is from its top-level fields, without parsing the events in it.</summary>
internal static class MessageInspector
{
    /// <summary>The message's shape, its batch id, the byte range of its "events" array, and feedback fields.</summary>
    public readonly record struct Inspection(MessageShape Shape, string? Batch, Range Events, string? OfferId, string? Feedback, string? Error);

    /// <summary>Inspects one message.</summary>
    public static Inspection Inspect(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
        try
        {
            if (!reader.Read()) return new(MessageShape.Malformed, null, default, null, null, "The message is empty.");
            if (reader.TokenType == JsonTokenType.StartArray) return new(MessageShape.Events, null, Range.All, null, null, null);
            if (reader.TokenType != JsonTokenType.StartObject)
                return new(MessageShape.Malformed, null, default, null, null, "The message is neither a JSON object nor an array.");
            string? batch = null, offerId = null, feedback = null;
            var isFeedback = false;
            Range? events = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.ValueTextEquals("batch"u8) ? 1 : reader.ValueTextEquals("events"u8) ? 2 : reader.ValueTextEquals("type"u8) ? 3
                    : reader.ValueTextEquals("offerId"u8) ? 4 : reader.ValueTextEquals("feedback"u8) ? 5 : 0;
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                var text = reader.TokenType == JsonTokenType.String ? TryString(ref reader) : null;
                switch (name)
                {
                    case 1: batch = text is { Length: <= 128 } ? text : null; break;
                    case 2 when reader.TokenType == JsonTokenType.StartArray:
                        reader.Skip();
                        events = start..(int)reader.BytesConsumed;
                        continue;
                    case 3: isFeedback = text == "feedback"; break;
                    case 4: offerId = text; break;
                    case 5: feedback = text; break;
                }
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
            }
            if (isFeedback) return new(MessageShape.Feedback, batch, default, offerId, feedback, null);
            if (events is { } range) return new(MessageShape.Envelope, batch, range, null, null, null);
            return new(MessageShape.Events, batch, Range.All, null, null, null);
        }
        catch (JsonException ex)
        {
            return new(MessageShape.Malformed, null, default, null, null, $"The message is not valid JSON ({ex.Message.TrimEnd('.')}).");
        }
    }

    private static string? TryString(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
