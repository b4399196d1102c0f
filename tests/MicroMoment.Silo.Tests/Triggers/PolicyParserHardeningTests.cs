using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MicroMoment.Silo.Triggers;
using YamlDotNet.Core;

namespace MicroMoment.Silo.Tests.Triggers;

/// <summary>
/// Whatever text a policy file holds, loading it either gives a policy or a <see cref="PolicyException"/> that names
/// the file and the line; nothing else comes out, and nothing is expanded without bound.
/// </summary>
public class PolicyParserHardeningTests
{
    private const string Name = "mutant.yaml";

    /// <summary>Text that made YamlDotNet's representation model, or the conversion from it, throw something other than a YAML error.</summary>
    [Theory]
    [InlineData("version: v1\nrules:\n  - name: [unclosed\n  - name: b\n", 3)]
    [InlineData("version: v1\n? [a, b]\n: 1\nrules: []\n", 2)]
    [InlineData("version: v1\nx: &a [*a]\n", 2)]
    [InlineData("version: v1\nx: *nosuch\n", 2)]
    [InlineData("version: v1\nversion: v2\n", 2)]
    [InlineData("version: v1\nrules:\n  - { name: a, name: b }\n", 3)]
    public void TextThatBrokeTheParserIsAPolicyExceptionWithItsLine(string text, int line)
    {
        var ex = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(text, Name, RuleEvaluatorTests.Binding));

        Assert.Equal(Name, ex.Source);
        Assert.Equal(line, ex.Line);
        Assert.Contains($"Policy {Name}, line {line}", ex.Message);
        Assert.Contains("expected", ex.Message);
    }

    [Fact]
    public void FieldErrorsNameTheLineOfTheField()
    {
        const string text = """
            version: v1
            rules:
              - name: a
                intent: buy
                offer: popup
                thresholds: { default: 0.5 }
              - name: b
                intent: sometimes
                offer: popup
                thresholds: { default: 0.5 }
            """;
        var ex = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(text, Name, RuleEvaluatorTests.Binding));
        Assert.Equal("rules[1].intent", ex.Field);
        Assert.Equal(8, ex.Line);
        Assert.Contains("line 8", ex.Message);

        // A missing field is reported where its parent starts.
        var missing = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(text.Replace("    thresholds: { default: 0.5 }\n  - name: b", "  - name: b", StringComparison.Ordinal), Name, RuleEvaluatorTests.Binding));
        Assert.Equal("rules[0].thresholds", missing.Field);
        Assert.Equal(3, missing.Line);

        var json = Assert.Throws<PolicyException>(() => PolicyLoader.Parse("{\n  \"version\": \"j\",\n  \"rules\": [\n    { \"name\": \"a\", \"intent\": \"no\" }\n  ]\n}", "p.json", RuleEvaluatorTests.Binding, json: true));
        Assert.Equal("rules[0].intent", json.Field);
        Assert.Equal(4, json.Line);
        var syntax = Assert.Throws<PolicyException>(() => PolicyLoader.Parse("{\n  \"version\": \"j\",\n  \"rules\": [ }\n", "p.json", RuleEvaluatorTests.Binding, json: true));
        Assert.Equal(3, syntax.Line);
        Assert.Contains("is not valid JSON", syntax.Message);
    }

    [Fact]
    public void AliasBombIsRefusedBeforeItIsExpanded()
    {
        // Six levels of ten aliases each: a million values once expanded, from 400 bytes of text.
        string bomb = AliasBomb(levels: 6, fanOut: 10);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(bomb, Name, RuleEvaluatorTests.Binding));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains("alias", ex.Message);
        Assert.NotNull(ex.Line);
        Assert.True(allocated < 48L << 20, $"Parsing the alias bomb allocated {allocated / (1 << 20)} MiB; expected it to be refused before expansion.");
    }

    [Fact]
    public void DeepNestingAndHugeTextAreRefusedWithALine()
    {
        foreach (var (text, json) in new[] { (new string('[', 100_000), false), ("x: " + new string('{', 5_000), false), (new string('[', 100_000), true) })
        {
            var ex = Assert.Throws<PolicyException>(() => PolicyLoader.Parse(text, Name, RuleEvaluatorTests.Binding, json));
            Assert.NotNull(ex.Line);
        }

        var huge = Assert.Throws<PolicyException>(() => PolicyLoader.Parse("version: v1\n# " + new string('x', PolicyDocument.MaxChars), Name, RuleEvaluatorTests.Binding));
        Assert.Contains("characters long", huge.Message);
    }

    [Fact]
    public void OversizedPolicyFileIsRefusedWithoutReadingItWhole()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mm-policy-{Guid.NewGuid():N}.yaml");
        try
        {
            using (var file = File.Create(path)) file.SetLength(PolicyLoader.MaxFileBytes + 1);
            var ex = Assert.Throws<PolicyException>(() => PolicyLoader.LoadFile(path, RuleEvaluatorTests.Binding));
            Assert.Equal("(file)", ex.Field);
            Assert.Contains("larger than", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Random edits of the shipped policies, YAML and JSON: each either loads or fails with a PolicyException naming the file and a line of the text.</summary>
    [Theory]
    [InlineData(false, 1)]
    [InlineData(false, 2)]
    [InlineData(true, 3)]
    [InlineData(true, 4)]
    public void MutatedShippedPoliciesLoadOrFailWithFileAndLine(bool json, int seed)
    {
        var bases = ShippedPolicies().Select(text => json ? ToJson(text) : text).ToList();
        foreach (var text in bases) PolicyLoader.Parse(text, Name, RuleEvaluatorTests.Binding, json); // the unmutated bases load

        var random = new Random(seed);
        var failures = new List<string>();
        int loaded = 0, refused = 0;
        for (int i = 0; i < 2_000; i++)
        {
            string text = bases[random.Next(bases.Count)];
            int edits = 1 + random.Next(4);
            for (int e = 0; e < edits; e++) text = Mutate(text, random, json);
            try
            {
                PolicyLoader.Parse(text, Name, RuleEvaluatorTests.Binding, json);
                loaded++;
            }
            catch (PolicyException ex)
            {
                refused++;
                int lines = 1 + text.Count(c => c is '\n' or '\r' or '\u0085' or '\u2028' or '\u2029');
                if (ex.Source != Name || ex.Line is not { } line || line < 1 || line > lines || !ex.Message.Contains($"Policy {Name}, line {line}", StringComparison.Ordinal)
                    || !(ex.InnerException is null or YamlException or JsonException || FromYamlDotNet(ex.InnerException)))
                {
                    failures.Add($"{ex.GetType().Name} (line {ex.Line?.ToString() ?? "none"} of {lines}, inner {ex.InnerException?.GetType().Name ?? "none"}): {ex.Message}\n--- input ---\n{text}");
                }
            }
            catch (Exception ex)
            {
                failures.Add($"{ex.GetType().Name}: {ex.Message}\n--- input ---\n{text}");
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} inputs escaped as something else than a located PolicyException; the first:\n{failures.FirstOrDefault()}");
        Assert.True(loaded > 0 && refused > 0, $"The mutations should both keep and break policies ({loaded} loaded, {refused} refused).");
    }

    /// <summary>True for an exception thrown inside YamlDotNet (its scanner has failures other than YamlException); anything thrown by the project's own code must not be wrapped.</summary>
    private static bool FromYamlDotNet(Exception ex) => ex.TargetSite?.DeclaringType?.Assembly == typeof(YamlException).Assembly;

    internal static string AliasBomb(int levels, int fanOut)
    {
        var text = new StringBuilder("version: bomb\n");
        text.Append("a0: &a0 [").Append(string.Join(", ", Enumerable.Repeat("lol", fanOut))).Append("]\n");
        for (int i = 1; i < levels; i++) text.Append($"a{i}: &a{i} [").Append(string.Join(", ", Enumerable.Repeat($"*a{i - 1}", fanOut))).Append("]\n");
        return text.Append($"rules: *a{levels - 1}\n").ToString();
    }

    private static IEnumerable<string> ShippedPolicies()
    {
        string folder = Path.Combine(SiloTestData.RepositoryRoot, "policies");
        var files = Directory.GetFiles(folder, "*.yaml");
        Assert.NotEmpty(files);
        return files.Select(File.ReadAllText);
    }

    /// <summary>The JSON form of a YAML policy: numbers and booleans as JSON numbers and booleans.</summary>
    private static string ToJson(string yaml)
    {
        var root = PolicyDocument.Parse(yaml, "base.yaml", json: false).Root!;
        static JsonNode? Typed(JsonNode? node) => node switch
        {
            JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Typed(p.Value)))),
            JsonArray a => new JsonArray([.. a.Select(Typed)]),
            JsonValue v when v.TryGetValue(out string? s) && double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double d) => JsonValue.Create(d),
            JsonValue v when v.TryGetValue(out string? s) && bool.TryParse(s, out bool b) => JsonValue.Create(b),
            _ => node?.DeepClone(),
        };
        return Typed(root)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static readonly string[] Snippets =
    [
        "? [a, b]\n: 1\n", "rules:\n  - name: [unclosed\n  - name: b\n", "&a [*a]\n", "x: *nosuch\n", "<<: *x\n", "x: !!binary aGVsbG8=\n",
        new string('[', 300), new string('{', 300), AliasBomb(8, 9), "--- \n", "...\n", "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "\t", "- - - -\n",
        "version: [a, b]\n", "rules: {}\n", "rules: x\n", "thresholds: { default: .nan }\n", "debounce: 1e308d\n", "cooldown: { base: 1d, max: 1ms }\n",
        "timeZone: ../../etc/passwd\n", "timeZone: \"\\0\"\n", "priority: 99999999999999999999\n", "\"\\uD800\"", "'\n", "&x a: 1\n*x : 2\n",
        "{\"a\": 1, \"a\": 2}", "[1, 2,]", "/* c */", "\"\\u0000\"", "1e999", "-0", "null", "true", "\uFEFF", "\u2028", "\u0085", "\r",
        "consent: [offers]\n", "experiments: [{ name: e, variants: [] }]\n", "caps: { perDay: -1 }\n", "confirmation: { k: 9, n: 2 }\n",
    ];

    private static readonly char[] Alphabet = "[]{}:,-?&*!|>'\"#%@` \t\n\r\\0123456789.eE+abcxyz\u0000\u001b\u00e9\uFFFD\uD800".ToCharArray();

    private static string Mutate(string text, Random random, bool json)
    {
        if (text.Length == 0) return Snippets[random.Next(Snippets.Length)];
        int at = random.Next(text.Length + 1);
        var lines = text.Split('\n').ToList();
        int line = random.Next(lines.Count);
        switch (random.Next(json ? 8 : 10))
        {
            case 0: // delete a span
                int from = Math.Min(at, text.Length - 1);
                return text.Remove(from, Math.Min(1 + random.Next(20), text.Length - from));
            case 1: // insert characters
                var inserted = new StringBuilder();
                for (int i = 1 + random.Next(4); i > 0; i--) inserted.Append(Alphabet[random.Next(Alphabet.Length)]);
                return text.Insert(at, inserted.ToString());
            case 2: // replace one character
                int where = Math.Min(at, text.Length - 1);
                return string.Concat(text.AsSpan(0, where), Alphabet[random.Next(Alphabet.Length)].ToString(), text.AsSpan(where + 1));
            case 3: // truncate
                return text[..at];
            case 4: // duplicate a line
                lines.Insert(line, lines[line]);
                return string.Join('\n', lines);
            case 5: // delete a line
                lines.RemoveAt(line);
                return string.Join('\n', lines);
            case 6: // insert a snippet at a line start or inside a line
                return random.Next(2) == 0 ? text.Insert(at, Snippets[random.Next(Snippets.Length)]) : string.Join('\n', lines.Take(line).Append(Snippets[random.Next(Snippets.Length)]).Concat(lines.Skip(line)));
            case 7: // swap two lines
                int other = random.Next(lines.Count);
                (lines[line], lines[other]) = (lines[other], lines[line]);
                return string.Join('\n', lines);
            case 8: // indent or dedent a line
                lines[line] = random.Next(2) == 0 ? new string(' ', 1 + random.Next(4)) + lines[line] : lines[line].TrimStart();
                return string.Join('\n', lines);
            default: // replace a value with a different kind of value
                int colon = lines[line].IndexOf(':', StringComparison.Ordinal);
                if (colon < 0) return text;
                string[] values = ["[]", "{}", "~", "''", "[a, [b, {c: d}]]", "*a0", "&a0 x", "-1", "0x10", "1_000", "yes", ".inf"];
                lines[line] = lines[line][..(colon + 1)] + " " + values[random.Next(values.Length)];
                return string.Join('\n', lines);
        }
    }
}
