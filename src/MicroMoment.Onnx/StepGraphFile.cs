using Google.Protobuf;
using MicroMoment.Model;
using MicroMoment.Onnx.Protocol;
using MicroMoment.Scoring;

namespace MicroMoment.Onnx;

/// <summary>
/// An exported step graph read back and checked: the sidecar parses, the graph file is the one the sidecar
/// describes (SHA-256), it is an ONNX model of the stated IR version and operator set with the step's inputs and
/// outputs, its weights are the ones the sidecar's digest names and, when a model is given, it belongs to that model
/// (feature schema, shapes, weights). Every refusal is an <see cref="OnnxGraphException"/> naming the problem.
/// </summary>
public sealed class StepGraphFile
{
    private StepGraphFile(string directory, byte[] bytes, StepGraphSidecar sidecar)
    {
        Directory = directory;
        Bytes = bytes;
        Sidecar = sidecar;
    }

    /// <summary>The folder holding the graph and sidecar.</summary>
    public string Directory { get; }

    /// <summary>The graph file's bytes.</summary>
    public byte[] Bytes { get; }

    /// <summary>The sidecar.</summary>
    public StepGraphSidecar Sidecar { get; }

    /// <summary>Sizes of the network the graph steps.</summary>
    public AttentionLstmShape Shape => Sidecar.Shape;

    /// <summary>
    /// Reads and checks the graph exported into <paramref name="directory"/>; with <paramref name="model"/>, also
    /// that it is that model's graph.
    /// </summary>
    /// <exception cref="OnnxGraphException">Something is missing, damaged or does not match; the message says what.</exception>
    public static StepGraphFile Load(string directory, MicroMomentModel? model = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string sidecarPath = Path.Combine(directory, OnnxExport.SidecarFileName);
        if (!System.IO.Directory.Exists(directory))
            throw new OnnxGraphException($"'{directory}' does not exist; expected a folder written by 'micromoment export-onnx'.");
        if (!File.Exists(sidecarPath))
            throw new OnnxGraphException($"'{directory}' holds no sidecar '{OnnxExport.SidecarFileName}'; export the graph with 'micromoment export-onnx'.");
        var sidecar = StepGraphSidecar.Parse(File.ReadAllText(sidecarPath), sidecarPath);

        string graphPath = Path.Combine(directory, sidecar.GraphFile);
        if (!File.Exists(graphPath))
            throw new OnnxGraphException($"The graph file '{graphPath}' named by '{sidecarPath}' is missing.");
        byte[] bytes = File.ReadAllBytes(graphPath);
        string digest = OnnxExport.Sha256(bytes);
        if (!string.Equals(digest, sidecar.GraphSha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new OnnxGraphException(
                $"'{graphPath}' ({bytes.Length:N0} bytes) has SHA-256 {digest}, but its sidecar says {sidecar.GraphSha256}: the graph file is damaged or was replaced. Export it again.");
        }

        Check(bytes, sidecar, graphPath);
        if (model is not null) CheckModel(sidecar, model, graphPath);
        return new StepGraphFile(directory, bytes, sidecar);
    }

    /// <summary>Checks that <paramref name="bytes"/> hold a step graph that fits <paramref name="sidecar"/>.</summary>
    internal static void Check(byte[] bytes, StepGraphSidecar sidecar, string name)
    {
        ModelProto proto;
        try
        {
            proto = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new OnnxGraphException($"'{name}' is not a readable ONNX model ({ex.Message}).", ex);
        }

        if (proto.Graph is null || proto.Graph.Node.Count == 0)
            throw new OnnxGraphException($"'{name}' holds no graph; expected the MicroMoment step graph.");
        if (proto.IrVersion != sidecar.IrVersion)
            throw new OnnxGraphException($"'{name}' has ONNX IR version {proto.IrVersion}, but its sidecar says {sidecar.IrVersion}.");
        if (proto.IrVersion < 3 || proto.IrVersion > StepGraph.IrVersion)
            throw new OnnxGraphException($"'{name}' has ONNX IR version {proto.IrVersion}; this build reads step graphs of IR version 3 to {StepGraph.IrVersion}.");
        var opset = proto.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx");
        if (opset is null)
            throw new OnnxGraphException($"'{name}' imports no default ONNX operator set; expected opset {sidecar.OpsetVersion}.");
        if (opset.Version != sidecar.OpsetVersion)
            throw new OnnxGraphException($"'{name}' imports ONNX opset {opset.Version}, but its sidecar says {sidecar.OpsetVersion}.");
        if (proto.OpsetImport.FirstOrDefault(o => o.Domain is not ("" or "ai.onnx")) is { } custom)
            throw new OnnxGraphException($"'{name}' imports the operator set '{custom.Domain}'; a step graph uses only the default ONNX operators.");

        CheckValues(name, "input", proto.Graph.Input.Where(v => !proto.Graph.Initializer.Any(i => i.Name == v.Name)).ToList(), StepGraph.Inputs(sidecar.Shape));
        CheckValues(name, "output", proto.Graph.Output.ToList(), StepGraph.Outputs(sidecar.Shape));

        string Metadata(string key) => proto.MetadataProps.FirstOrDefault(p => p.Key == key)?.Value
            ?? throw new OnnxGraphException($"'{name}' carries no '{key}' metadata; expected a graph written by 'micromoment export-onnx'.");
        if (Metadata(OnnxExport.FeatureSchemaHashKey) != sidecar.FeatureSchemaHash)
            throw new OnnxGraphException($"'{name}' was exported for feature schema {Metadata(OnnxExport.FeatureSchemaHashKey)}, but its sidecar says {sidecar.FeatureSchemaHash}.");
        if (Metadata(OnnxExport.ParametersSha256Key) != sidecar.ParametersSha256)
            throw new OnnxGraphException($"'{name}' was exported from parameters {Metadata(OnnxExport.ParametersSha256Key)}, but its sidecar says {sidecar.ParametersSha256}.");

        float[] parameters = StepGraphBuilder.ReadParameters(proto, sidecar.Shape, name);
        string weights = OnnxExport.ParametersDigest(parameters);
        if (weights != sidecar.ParametersSha256)
            throw new OnnxGraphException($"The weights in '{name}' hash to {weights}, not to the {sidecar.ParametersSha256} its sidecar names: the graph's weights were changed.");
    }

    private static void CheckModel(StepGraphSidecar sidecar, MicroMomentModel model, string name)
    {
        if (sidecar.FeatureSchemaHash != model.Features.Schema.Hash)
        {
            throw new OnnxGraphException(
                $"'{name}' was exported for feature schema {sidecar.FeatureSchemaHash}, but the model encodes {model.Features.Schema.Hash}: it belongs to another model. Export it from this model.");
        }

        if (sidecar.Shape != model.Network.Shape)
        {
            throw new OnnxGraphException(
                $"'{name}' steps a network of D {sidecar.Shape.InputSize}, H {sidecar.Shape.HiddenSize}, A {sidecar.Shape.AttentionSize}, but the model's is D {model.Network.Shape.InputSize}, H {model.Network.Shape.HiddenSize}, A {model.Network.Shape.AttentionSize}.");
        }

        string parameters = OnnxExport.ParametersDigest(model.Network.Parameters);
        if (sidecar.ParametersSha256 != parameters)
        {
            throw new OnnxGraphException(
                $"'{name}' holds the weights of model '{sidecar.ModelVersion}' ({sidecar.ParametersSha256}), not this model's ('{model.Info.Version}', {parameters}). Export it from this model.");
        }
    }

    private static void CheckValues(string name, string kind, List<ValueInfoProto> actual, IReadOnlyList<GraphValue> expected)
    {
        if (actual.Count != expected.Count || !actual.Select(v => v.Name).SequenceEqual(expected.Select(v => v.Name)))
        {
            throw new OnnxGraphException(
                $"'{name}' has {kind}s ({string.Join(", ", actual.Select(v => v.Name))}); a step graph has {string.Join(", ", expected.Select(v => v.Name))}.");
        }

        for (int i = 0; i < expected.Count; i++)
        {
            var value = actual[i];
            var tensor = value.Type?.TensorType;
            if (tensor is null || tensor.ElemType != (int)TensorProto.Types.DataType.Float)
                throw new OnnxGraphException($"'{name}': {kind} '{value.Name}' is not a float32 tensor.");
            var dims = tensor.Shape?.Dim;
            bool same = dims is not null && dims.Count == expected[i].Dimensions.Length;
            for (int j = 0; same && j < dims!.Count; j++)
            {
                long want = expected[i].Dimensions[j];
                same = want < 0 ? dims[j].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam : dims[j].DimValue == want;
            }

            if (!same)
            {
                string shape = dims is null ? "no shape" : "[" + string.Join(", ", dims.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? d.DimParam : d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
                throw new OnnxGraphException($"'{name}': {kind} '{value.Name}' has shape {shape}; the sidecar's network needs {expected[i].ShapeText}.");
            }
        }
    }
}
