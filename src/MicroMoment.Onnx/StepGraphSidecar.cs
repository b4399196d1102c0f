using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MicroMoment.Model;
using MicroMoment.Scoring;

namespace MicroMoment.Onnx;

/// <summary>
/// The small JSON file written next to the exported graph: which model and feature schema it belongs to, its
/// shapes, how to start a session and how to turn logits into the calibrated probabilities, so another runtime can
/// score a session step by step. <see cref="Parse"/> names the first missing or bad field.
/// </summary>
public sealed class StepGraphSidecar
{
    /// <summary>The value of "format".</summary>
    public const string Format = "micromoment.onnx-step";

    /// <summary>The sidecar layout this build writes and reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>File name of the graph, in the sidecar's folder.</summary>
    public required string GraphFile { get; init; }

    /// <summary>SHA-256 of the graph file's bytes (lower-case hex).</summary>
    public required string GraphSha256 { get; init; }

    /// <summary>ONNX IR version of the graph.</summary>
    public required long IrVersion { get; init; }

    /// <summary>Default-domain operator set the graph imports.</summary>
    public required long OpsetVersion { get; init; }

    /// <summary>Version string of the model the graph was exported from.</summary>
    public required string ModelVersion { get; init; }

    /// <summary>SHA-256 of the network's parameters (float32 little-endian, in <see cref="AttentionLstmLayout"/> order).</summary>
    public required string ParametersSha256 { get; init; }

    /// <summary>Feature schema version the model encodes.</summary>
    public required int FeatureSchemaVersion { get; init; }

    /// <summary>Feature schema hash the model encodes.</summary>
    public required string FeatureSchemaHash { get; init; }

    /// <summary>The feature names, in input order.</summary>
    public required IReadOnlyList<string> FeatureNames { get; init; }

    /// <summary>Sizes of the network.</summary>
    public required AttentionLstmShape Shape { get; init; }

    /// <summary>Platt parameters of the buy head: p = 1 / (1 + exp(A · logit + B)); null when the model has no buy head (its logit means nothing).</summary>
    public required (double A, double B)? BuyCalibration { get; init; }

    /// <summary>Platt parameters of the exit head; null when the model has no exit head.</summary>
    public required (double A, double B)? ExitCalibration { get; init; }

    /// <summary>Decision threshold on the calibrated buy probability.</summary>
    public required float BuyThreshold { get; init; }

    /// <summary>Decision threshold on the calibrated exit probability.</summary>
    public required float ExitThreshold { get; init; }

    /// <summary>Inactivity that ends a session (start again from the initial state after it).</summary>
    public required double SessionTimeoutSeconds { get; init; }

    /// <summary>The sidecar of <paramref name="model"/>'s graph written to <paramref name="graphFile"/> with <paramref name="graphSha256"/>.</summary>
    public static StepGraphSidecar For(MicroMomentModel model, string graphFile, string graphSha256)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new StepGraphSidecar
        {
            GraphFile = graphFile,
            GraphSha256 = graphSha256,
            IrVersion = StepGraph.IrVersion,
            OpsetVersion = StepGraph.OpsetVersion,
            ModelVersion = model.Info.Version,
            ParametersSha256 = OnnxExport.ParametersDigest(model.Network.Parameters),
            FeatureSchemaVersion = model.Features.Schema.Version,
            FeatureSchemaHash = model.Features.Schema.Hash,
            FeatureNames = model.Features.Schema.Names,
            Shape = model.Network.Shape,
            BuyCalibration = model.BuyCalibration is { } buy ? (buy.A, buy.B) : null,
            ExitCalibration = model.ExitCalibration is { } exit ? (exit.A, exit.B) : null,
            BuyThreshold = model.BuyThreshold,
            ExitThreshold = model.ExitThreshold,
            SessionTimeoutSeconds = model.SessionTimeout.TotalSeconds,
        };
    }

    /// <summary>The sidecar as indented JSON.</summary>
    public string ToJson()
    {
        static JsonArray Values(IEnumerable<GraphValue> values) => new([.. values.Select(v => (JsonNode)new JsonObject
        {
            ["name"] = v.Name,
            ["shape"] = new JsonArray([.. v.Dimensions.Select(d => d < 0 ? (JsonNode)StepGraph.BatchDimension : JsonValue.Create(d))]),
            ["type"] = "float32",
        })]);

        var json = new JsonObject
        {
            ["format"] = Format,
            ["formatVersion"] = FormatVersion,
            ["graph"] = GraphFile,
            ["graphSha256"] = GraphSha256,
            ["irVersion"] = IrVersion,
            ["opsetVersion"] = OpsetVersion,
            ["model"] = new JsonObject { ["version"] = ModelVersion, ["parametersSha256"] = ParametersSha256 },
            ["featureSchema"] = new JsonObject
            {
                ["version"] = FeatureSchemaVersion,
                ["hash"] = FeatureSchemaHash,
                ["names"] = new JsonArray([.. FeatureNames.Select(n => (JsonNode)n)]),
            },
            ["shapes"] = new JsonObject
            {
                ["inputSize"] = Shape.InputSize,
                ["hiddenSize"] = Shape.HiddenSize,
                ["attentionSize"] = Shape.AttentionSize,
                ["batchDimension"] = StepGraph.BatchDimension,
            },
            ["inputs"] = Values(StepGraph.Inputs(Shape)),
            ["outputs"] = Values(StepGraph.Outputs(Shape)),
            ["initialState"] = new JsonObject
            {
                [StepGraph.H] = 0,
                [StepGraph.C] = 0,
                [StepGraph.A] = 0,
                [StepGraph.M] = "-Infinity",
                [StepGraph.S] = 0,
                ["note"] = "Every session starts from this state; feed each *_next output back as the next event's input. "
                    + "A session ends after sessionTimeoutSeconds without events.",
            },
            ["calibration"] = new JsonObject
            {
                ["method"] = "platt",
                ["formula"] = "probability = 1 / (1 + exp(a * logit + b))",
                ["buy"] = BuyCalibration is { } buy ? new JsonObject { ["a"] = buy.A, ["b"] = buy.B } : null,
                ["exit"] = ExitCalibration is { } exit ? new JsonObject { ["a"] = exit.A, ["b"] = exit.B } : null,
                ["note"] = "null for a head the model does not have (trained on a log without its labels): ignore that logit",
            },
            ["thresholds"] = new JsonObject { ["buy"] = float.IsFinite(BuyThreshold) ? BuyThreshold : null, ["exit"] = float.IsFinite(ExitThreshold) ? ExitThreshold : null },
            ["intent"] = "buy when the buy probability >= thresholds.buy, else exit when the exit probability >= thresholds.exit, else research",
            ["sessionTimeoutSeconds"] = SessionTimeoutSeconds,
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>Reads a sidecar written by <see cref="ToJson"/>, naming the first missing or bad field.</summary>
    /// <exception cref="OnnxGraphException">The text is not such a sidecar.</exception>
    public static StepGraphSidecar Parse(string json, string name)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(json) as JsonObject ?? throw new OnnxGraphException($"'{name}' is not a JSON object; expected the sidecar written by 'micromoment export-onnx'.");
        }
        catch (JsonException ex)
        {
            throw new OnnxGraphException($"'{name}' is not valid JSON ({ex.Message}); expected the sidecar written by 'micromoment export-onnx'.", ex);
        }

        var reader = new FieldReader(root, name);
        string format = reader.String("format");
        if (format != Format)
            throw new OnnxGraphException($"'{name}' has format '{format}'; expected '{Format}'.");
        long formatVersion = reader.Integer("formatVersion");
        if (formatVersion != FormatVersion)
            throw new OnnxGraphException($"'{name}' has formatVersion {formatVersion}; this build reads {FormatVersion}.");
        string graph = reader.String("graph");
        if (graph.Length == 0 || graph != Path.GetFileName(graph) || graph is "." or "..")
            throw new OnnxGraphException($"'{name}' names the graph file '{graph}'; expected a plain file name in the sidecar's folder.");

        AttentionLstmShape shape;
        try
        {
            shape = new AttentionLstmShape(
                checked((int)reader.Integer("shapes.inputSize")), checked((int)reader.Integer("shapes.hiddenSize")), checked((int)reader.Integer("shapes.attentionSize")));
        }
        catch (Exception ex) when (ex is ArgumentException or OverflowException)
        {
            throw new OnnxGraphException($"'{name}' has impossible network shapes: {ex.Message}", ex);
        }

        var names = reader.Node("featureSchema.names") as JsonArray
            ?? throw new OnnxGraphException($"'{name}': featureSchema.names is not an array; expected the feature names in input order.");
        var featureNames = new List<string>(names.Count);
        foreach (var item in names)
        {
            featureNames.Add(item is JsonValue v && v.TryGetValue<string>(out var text)
                ? text
                : throw new OnnxGraphException($"'{name}': featureSchema.names holds {item?.ToJsonString() ?? "null"}; expected strings."));
        }

        if (featureNames.Count != shape.InputSize)
            throw new OnnxGraphException($"'{name}' lists {featureNames.Count} feature names but shapes.inputSize is {shape.InputSize}.");

        return new StepGraphSidecar
        {
            GraphFile = graph,
            GraphSha256 = reader.String("graphSha256"),
            IrVersion = reader.Integer("irVersion"),
            OpsetVersion = reader.Integer("opsetVersion"),
            ModelVersion = reader.String("model.version"),
            ParametersSha256 = reader.String("model.parametersSha256"),
            FeatureSchemaVersion = checked((int)reader.Integer("featureSchema.version")),
            FeatureSchemaHash = reader.String("featureSchema.hash"),
            FeatureNames = featureNames,
            Shape = shape,
            BuyCalibration = reader.IsNull("calibration.buy") ? null : (reader.Number("calibration.buy.a"), reader.Number("calibration.buy.b")),
            ExitCalibration = reader.IsNull("calibration.exit") ? null : (reader.Number("calibration.exit.a"), reader.Number("calibration.exit.b")),
            BuyThreshold = reader.IsNull("thresholds.buy") ? float.NaN : (float)reader.Number("thresholds.buy"),
            ExitThreshold = reader.IsNull("thresholds.exit") ? float.NaN : (float)reader.Number("thresholds.exit"),
            SessionTimeoutSeconds = reader.Number("sessionTimeoutSeconds"),
        };
    }

    /// <summary>Reads dotted paths from the sidecar, naming the path and what it should hold when it does not.</summary>
    private readonly struct FieldReader(JsonObject root, string name)
    {
        public JsonNode Node(string path)
        {
            JsonNode? node = root;
            foreach (var part in path.Split('.'))
            {
                node = (node as JsonObject)?[part];
                if (node is null) throw new OnnxGraphException($"'{name}' has no field '{path}'; expected the sidecar written by 'micromoment export-onnx'.");
            }

            return node;
        }

        public string String(string path) =>
            Node(path) is JsonValue v && v.TryGetValue<string>(out var text)
                ? text
                : throw new OnnxGraphException($"'{name}': '{path}' is {Node(path).ToJsonString()}; expected a string.");

        public long Integer(string path) =>
            Node(path) is JsonValue v && v.TryGetValue<long>(out var number)
                ? number
                : throw new OnnxGraphException($"'{name}': '{path}' is {Node(path).ToJsonString()}; expected an integer.");

        /// <summary>True when the field at <paramref name="path"/> is present and JSON null (a head the model does not have).</summary>
        public bool IsNull(string path)
        {
            int dot = path.LastIndexOf('.');
            var parent = dot < 0 ? root : Node(path[..dot]) as JsonObject;
            string last = dot < 0 ? path : path[(dot + 1)..];
            if (parent is null || !parent.ContainsKey(last)) throw new OnnxGraphException($"'{name}' has no field '{path}'; expected the sidecar written by 'micromoment export-onnx'.");
            return parent[last] is null;
        }

        public double Number(string path) =>
            Node(path) is JsonValue v && v.TryGetValue<double>(out var number) && double.IsFinite(number)
                ? number
                : throw new OnnxGraphException($"'{name}': '{path}' is {Node(path).ToJsonString()}; expected a finite number.");
    }

    /// <summary>A short description for messages.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{GraphFile}: model {ModelVersion}, D {Shape.InputSize}, H {Shape.HiddenSize}, A {Shape.AttentionSize}, opset {OpsetVersion}");
}
