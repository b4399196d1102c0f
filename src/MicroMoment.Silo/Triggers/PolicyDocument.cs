using System.Text.Json.Nodes;

namespace MicroMoment.Silo.Triggers;

/// <summary>
/// A policy text parsed into a JSON tree, with the line and column where every field path starts, so that each error
/// can name its line. Parsing is bounded before anything is built: the text's length, the nesting depth, and the values
/// and characters the tree would hold once YAML aliases are expanded (an alias bomb is refused when its expansion
/// passes the limit, not after). Every failure is a <see cref="PolicyException"/> with a line.
/// </summary>
internal sealed partial class PolicyDocument
{
    /// <summary>The path of the document itself in field paths and errors.</summary>
    public const string RootPath = "(document)";

    /// <summary>The longest policy text accepted, in characters (the shipped policy is about 2,000).</summary>
    public const int MaxChars = 1 << 20;

    /// <summary>The deepest nesting of lists and mappings accepted (the policy schema needs 5).</summary>
    public const int MaxDepth = 32;

    /// <summary>The most values (scalars, lists and mappings) a document may hold, each use of an alias counting its whole anchor.</summary>
    public const int MaxNodes = 100_000;

    /// <summary>The most scalar characters a document may hold, each use of an alias counting its whole anchor.</summary>
    public const long MaxExpandedChars = 4L << 20;

    private readonly Dictionary<string, (int Line, int Column)> _locations = new(StringComparer.Ordinal);
    private int _nodes;
    private long _chars;

    private PolicyDocument(string source, int lines)
    {
        Source = source;
        Lines = lines;
    }

    /// <summary>How many lines the text has (line breaks as YAML counts them, plus one); errors point at one of them.</summary>
    public int Lines { get; }

    /// <summary>The file (or label) the text came from.</summary>
    public string Source { get; }

    /// <summary>The document's root, or null for an empty document.</summary>
    public JsonNode? Root { get; private set; }

    /// <summary>Parses YAML, or JSON when <paramref name="json"/> is true.</summary>
    /// <exception cref="PolicyException">The text is not valid, or is beyond the limits; the message names the line.</exception>
    public static PolicyDocument Parse(string text, string source, bool json)
    {
        if (text.Length > MaxChars)
            throw new PolicyException(source, RootPath, $"is {text.Length:N0} characters long; expected a policy file of at most {MaxChars:N0} characters.", 1, 1);
        var document = new PolicyDocument(source, CountLines(text));
        if (json) document.ReadJson(text);
        else document.ReadYaml(text);
        return document;
    }

    /// <summary>The line and column of <paramref name="field"/>, or of its nearest ancestor the text has (a missing field is reported where its parent starts).</summary>
    public (int Line, int Column) Locate(string field)
    {
        string path = field;
        while (true)
        {
            if (_locations.TryGetValue(path, out var at)) return at;
            int cut = Math.Max(path.LastIndexOf('.'), path.LastIndexOf('['));
            if (cut <= 0) return _locations.TryGetValue(RootPath, out var root) ? root : (1, 1);
            path = path[..cut];
        }
    }

    /// <summary>An error about <paramref name="field"/>, located at the field's (or its parent's) line.</summary>
    public PolicyException Error(string field, string problem, Exception? innerException = null)
    {
        var (line, column) = Locate(field);
        return new PolicyException(Source, field, problem, line, column, innerException);
    }

    /// <summary>An error at a position the parser reports (one past the last line at the end of the text is moved back onto it).</summary>
    private PolicyException ErrorAt(string field, string problem, long line, long column, Exception? innerException = null) =>
        new(Source, field, problem, (int)Math.Clamp(line, 1, Lines), (int)Math.Clamp(column, 1, int.MaxValue), innerException);

    private static int CountLines(string text)
    {
        int lines = 1;
        for (int i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '\r' when i + 1 < text.Length && text[i + 1] == '\n':
                    break;
                case '\r' or '\n' or '\u0085' or '\u2028' or '\u2029':
                    lines++;
                    break;
            }
        }

        return lines;
    }

    private static string Child(string parent, string key) => parent == RootPath ? key : parent + "." + key;

    private static string Item(string parent, int index) => $"{parent}[{index}]";

    private void Record(string path, long line, long column) =>
        _locations.TryAdd(path, ((int)Math.Clamp(line, 1, Lines), (int)Math.Clamp(column, 1, int.MaxValue)));

    /// <summary>Counts values about to be built, refusing the document once it passes the limits.</summary>
    private void Spend(int nodes, long chars, string path, long line, long column)
    {
        _nodes += nodes;
        _chars += chars;
        if (_nodes > MaxNodes || _chars > MaxExpandedChars)
        {
            throw ErrorAt(path, $"makes the document hold more than {MaxNodes:N0} values or {MaxExpandedChars:N0} characters (each use of a YAML alias counts its whole anchor again); expected a policy of ordinary size.", line, column);
        }
    }
}
