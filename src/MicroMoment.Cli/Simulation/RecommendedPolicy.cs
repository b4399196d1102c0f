using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MicroMoment.Scoring;
using MicroMoment.Silo.Triggers;
using YamlDotNet.RepresentationModel;

namespace MicroMoment.Cli.Simulation;

/// <summary>
/// Writes the sweep's thresholds into a copy of the policy file: every rule of a swept intent gets
/// <c>thresholds.clusters</c> with the recommended value of each cluster the log had data for (its <c>default</c> is
/// kept for the rest), and the version becomes "{version}-recommended" so offers tell the two apart. Everything else —
/// gates, caps, experiments, monitoring — is the input's. YAML comments are not carried over.
/// </summary>
internal static class RecommendedPolicy
{
    /// <summary>The version of the recommended policy.</summary>
    public static string VersionOf(string version) => version + "-recommended";

    /// <summary>The recommended policy's text, in the input's format (JSON for .json, else YAML).</summary>
    /// <param name="text">The input policy file's text.</param>
    /// <param name="json">The input is JSON.</param>
    /// <param name="sweep">The sweep's result.</param>
    /// <param name="header">A comment put first (YAML only): where it came from.</param>
    public static string Write(string text, bool json, SweepResult sweep, string header)
    {
        return json ? WriteJson(text, sweep) : WriteYaml(text, sweep, header);
    }

    private static IEnumerable<(string Cluster, string Value)> Thresholds(SweepResult sweep, Intent intent) =>
        sweep.Coordinates.Where(c => c.Intent == intent && !c.NoData)
            .Select(c => (c.ClusterName, c.Recommended.ToString("0.0#", CultureInfo.InvariantCulture)));

    private static Intent? IntentOf(string? name) => name switch
    {
        "buy" => Intent.Buy,
        "exit" => Intent.Exit,
        "research" => Intent.Research,
        _ => null,
    };

    private static string WriteYaml(string text, SweepResult sweep, string header)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var versionKey = new YamlScalarNode("version");
        root.Children[versionKey] = new YamlScalarNode(VersionOf(((YamlScalarNode)root.Children[versionKey]).Value!));
        foreach (var node in ((YamlSequenceNode)root.Children[new YamlScalarNode("rules")]).Children)
        {
            var rule = (YamlMappingNode)node;
            if (IntentOf((rule.Children[new YamlScalarNode("intent")] as YamlScalarNode)?.Value) is not { } intent) continue;
            var values = Thresholds(sweep, intent).ToList();
            if (values.Count == 0) continue;
            var thresholds = (YamlMappingNode)rule.Children[new YamlScalarNode("thresholds")];
            var clusters = new YamlMappingNode();
            foreach (var (cluster, value) in values) clusters.Add(cluster, value);
            thresholds.Style = YamlDotNet.Core.Events.MappingStyle.Block;
            thresholds.Children[new YamlScalarNode("clusters")] = clusters;
        }

        var output = new StringBuilder();
        foreach (var line in header.Split('\n')) output.Append("# ").AppendLine(line.TrimEnd());
        using var writer = new StringWriter(output, CultureInfo.InvariantCulture);
        stream.Save(writer, assignAnchors: false);
        var yaml = output.ToString();
        // A single document needs no end marker.
        return yaml.EndsWith("...\n", StringComparison.Ordinal) ? yaml[..^4] : yaml;
    }

    private static string WriteJson(string text, SweepResult sweep)
    {
        var root = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        root["version"] = VersionOf(root["version"]!.GetValue<string>());
        foreach (var node in root["rules"]!.AsArray())
        {
            var rule = node!.AsObject();
            if (IntentOf(rule["intent"]?.GetValue<string>()) is not { } intent) continue;
            var values = Thresholds(sweep, intent).ToList();
            if (values.Count == 0) continue;
            var clusters = new JsonObject();
            foreach (var (cluster, value) in values) clusters[cluster] = double.Parse(value, CultureInfo.InvariantCulture);
            rule["thresholds"]!.AsObject()["clusters"] = clusters;
        }
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
