using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MicroMoment.Silo.Triggers;

internal sealed partial class PolicyDocument
{
    /// <summary>
    /// Builds the tree from the parser's events (not from YamlDotNet's representation model, which resolves every alias
    /// before anything can be counted): each node is counted as it is built and each alias as the whole anchor it
    /// copies, so an alias bomb stops at the limit. Later documents of a multi-document stream are parsed (their errors
    /// count) but not used.
    /// </summary>
    private void ReadYaml(string text)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, Anchored>(StringComparer.Ordinal);
        ParsingEvent? last = null;
        ParsingEvent Next()
        {
            if (!parser.MoveNext() || parser.Current is not { } current)
            {
                throw ErrorAt(RootPath, "ends in the middle of the document; expected complete YAML.", last?.End.Line ?? 1, last?.End.Column ?? 1);
            }

            return last = current;
        }

        (JsonNode? Node, int Height) Node(ParsingEvent e, string path, int depth)
        {
            if (depth > MaxDepth)
                throw ErrorAt(path, $"nests lists and mappings more than {MaxDepth} deep; expected the policy's shallow structure.", e.Start.Line, e.Start.Column);
            Record(path, e.Start.Line, e.Start.Column);
            switch (e)
            {
                case AnchorAlias alias:
                {
                    if (!anchors.TryGetValue(alias.Value.Value, out var anchored))
                        throw ErrorAt(path, $"uses the alias *{alias.Value.Value}, which names no anchor defined before it; expected an alias to an earlier &anchor.", e.Start.Line, e.Start.Column);
                    if (depth + anchored.Height > MaxDepth)
                        throw ErrorAt(path, $"nests lists and mappings more than {MaxDepth} deep through the alias *{alias.Value.Value}; expected the policy's shallow structure.", e.Start.Line, e.Start.Column);
                    Spend(anchored.Nodes, anchored.Chars, path, e.Start.Line, e.Start.Column);
                    return (anchored.Node?.DeepClone(), anchored.Height);
                }

                case Scalar scalar:
                {
                    Spend(1, scalar.Value.Length, path, e.Start.Line, e.Start.Column);
                    JsonNode? node = scalar.Style == ScalarStyle.Plain && scalar.Value is "" or "~" or "null" ? null : JsonValue.Create(scalar.Value);
                    Remember(scalar, node, 1, scalar.Value.Length, 0);
                    return (node, 0);
                }

                case SequenceStart sequence:
                {
                    Spend(1, 0, path, e.Start.Line, e.Start.Column);
                    int nodes = _nodes;
                    long chars = _chars;
                    int height = 0;
                    var array = new JsonArray();
                    for (var item = Next(); item is not SequenceEnd; item = Next())
                    {
                        var (child, h) = Node(item, Item(path, array.Count), depth + 1);
                        array.Add(child);
                        height = Math.Max(height, h + 1);
                    }

                    Remember(sequence, array, _nodes - nodes + 1, _chars - chars, height);
                    return (array, height);
                }

                case MappingStart mapping:
                {
                    Spend(1, 0, path, e.Start.Line, e.Start.Column);
                    int nodes = _nodes;
                    long chars = _chars;
                    int height = 0;
                    var map = new JsonObject();
                    for (var key = Next(); key is not MappingEnd; key = Next())
                    {
                        string name = key switch
                        {
                            Scalar s => s.Value,
                            AnchorAlias a when anchors.TryGetValue(a.Value.Value, out var k) && k.Node is JsonValue v && v.TryGetValue(out string? text) => text,
                            _ => throw ErrorAt(path, "has a key that is not a plain name (a list, a mapping or an alias used as a key, such as '? [a, b]'); expected field names as keys.", key.Start.Line, key.Start.Column),
                        };
                        Spend(1, name.Length, path, key.Start.Line, key.Start.Column);
                        string child = Child(path, name);
                        if (map.ContainsKey(name))
                            throw ErrorAt(child, $"is given twice in the same mapping; expected each field once.", key.Start.Line, key.Start.Column);
                        Record(child, key.Start.Line, key.Start.Column);
                        var (value, h) = Node(Next(), child, depth + 1);
                        map[name] = value;
                        height = Math.Max(height, h + 1);
                    }

                    Remember(mapping, map, _nodes - nodes + 1, _chars - chars, height);
                    return (map, height);
                }

                default:
                    throw ErrorAt(path, $"holds an unexpected YAML element ({e.GetType().Name}); expected a value, a list or a mapping.", e.Start.Line, e.Start.Column);
            }
        }

        void Remember(NodeEvent e, JsonNode? node, int nodes, long chars, int height)
        {
            if (!e.Anchor.IsEmpty) anchors[e.Anchor.Value] = new Anchored(node, nodes, chars, height);
        }

        try
        {
            if (Next() is not StreamStart) throw ErrorAt(RootPath, "does not start as a YAML stream.", 1, 1);
            bool first = true;
            for (var e = Next(); e is not StreamEnd; e = Next())
            {
                if (e is not DocumentStart) throw ErrorAt(RootPath, $"holds an unexpected YAML element ({e.GetType().Name}); expected a document.", e.Start.Line, e.Start.Column);
                anchors.Clear();
                var (node, _) = Node(Next(), RootPath, 0);
                if (first) Root = node;
                first = false;
                if (Next() is not DocumentEnd) throw ErrorAt(RootPath, "holds more than one value at the top; expected one mapping.", last!.Start.Line, last.Start.Column);
            }
        }
        catch (YamlException ex)
        {
            throw ErrorAt(RootPath, $"is not valid YAML: {YamlReason(ex)}", ex.Start.Line, ex.Start.Column, ex);
        }
        catch (Exception ex) when (ex is not PolicyException and not OutOfMemoryException)
        {
            // YamlDotNet's scanner also fails with InvalidOperationException (on a bracketed list or mapping left open
            // across lines); whatever it throws, the file cannot be used, and the last element read shows where.
            throw ErrorAt(RootPath, $"is not valid YAML: the parser stopped after this point ({ex.GetType().Name}: {ex.Message}); expected complete YAML (a '[' or '{{' left unclosed is the usual cause).", last?.Start.Line ?? 1, last?.Start.Column ?? 1, ex);
        }
    }

    /// <summary>The parser's reason without the position prefix that the exception's message starts with (the line is reported separately).</summary>
    private static string YamlReason(YamlException ex) => PositionPrefix().Replace(ex.Message, string.Empty);

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex PositionPrefix();

    /// <summary>An anchored node and what it cost to build, charged again at each alias to it.</summary>
    private readonly record struct Anchored(JsonNode? Node, int Nodes, long Chars, int Height);
}
