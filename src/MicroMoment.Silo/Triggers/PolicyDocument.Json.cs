using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MicroMoment.Silo.Triggers;

internal sealed partial class PolicyDocument
{
    /// <summary>
    /// Reads JSON in two passes: a token pass that records where every field path starts, refuses a field given twice
    /// in one object and counts values under the limits, then <see cref="JsonNode.Parse(string, JsonNodeOptions?, JsonDocumentOptions)"/>
    /// for the tree itself.
    /// </summary>
    private void ReadJson(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        var newlines = new List<int>();
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n') newlines.Add(i);
        }

        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read()) throw ErrorAt(RootPath, "is empty; expected a JSON object.", 1, 1);
            JsonToken(ref reader, RootPath, newlines);
            if (reader.Read())
            {
                var (line, column) = Position(reader.TokenStartIndex, newlines);
                throw ErrorAt(RootPath, "holds more than one value at the top; expected one JSON object.", line, column);
            }

            // From the bytes, not the string: a lone surrogate is then U+FFFD, as in YAML, rather than an ArgumentException.
            Root = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException ex)
        {
            throw ErrorAt(RootPath, $"is not valid JSON: {ex.Message}", (ex.LineNumber ?? 0) + 1, (ex.BytePositionInLine ?? 0) + 1, ex);
        }
    }

    /// <summary>Walks the value whose first token <paramref name="reader"/> is on, leaving it on the value's last token.</summary>
    private void JsonToken(ref Utf8JsonReader reader, string path, List<int> newlines)
    {
        var (line, column) = Position(reader.TokenStartIndex, newlines);
        Record(path, line, column);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                Spend(1, 0, path, line, column);
                var seen = new HashSet<string>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string name = reader.GetString()!;
                    string child = Child(path, name);
                    var (keyLine, keyColumn) = Position(reader.TokenStartIndex, newlines);
                    Spend(1, name.Length, child, keyLine, keyColumn);
                    if (!seen.Add(name)) throw ErrorAt(child, "is given twice in the same object; expected each field once.", keyLine, keyColumn);
                    Record(child, keyLine, keyColumn);
                    reader.Read();
                    JsonToken(ref reader, child, newlines);
                }

                break;
            }

            case JsonTokenType.StartArray:
            {
                Spend(1, 0, path, line, column);
                int index = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    JsonToken(ref reader, Item(path, index++), newlines);
                }

                break;
            }

            default:
                Spend(1, reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length, path, line, column);
                break;
        }
    }

    /// <summary>The 1-based line and column of byte <paramref name="offset"/>.</summary>
    private static (long Line, long Column) Position(long offset, List<int> newlines)
    {
        int before = newlines.BinarySearch((int)offset);
        if (before < 0) before = ~before;
        long lineStart = before == 0 ? 0 : newlines[before - 1] + 1;
        return (before + 1, offset - lineStart + 1);
    }
}
