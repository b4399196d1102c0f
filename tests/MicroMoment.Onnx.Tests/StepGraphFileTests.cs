using System.Text.Json.Nodes;
using Google.Protobuf;
using MicroMoment.Evaluation;
using MicroMoment.Model;
using MicroMoment.Onnx.Protocol;
using MicroMoment.Scoring;
using static MicroMoment.Onnx.Tests.OnnxTestData;

namespace MicroMoment.Onnx.Tests;

public sealed class StepGraphFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public StepGraphFileTests() => OnnxExport.Export(BundledModel, _dir.Path);

    private string GraphPath => _dir.File(OnnxExport.GraphFileName);

    private string SidecarPath => _dir.File(OnnxExport.SidecarFileName);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ExportedGraphLoadsAndItsSidecarDescribesTheModel()
    {
        var model = BundledModel;
        var file = StepGraphFile.Load(_dir.Path, model);
        var sidecar = file.Sidecar;
        Assert.Equal(StepGraph.IrVersion, sidecar.IrVersion);
        Assert.Equal(StepGraph.OpsetVersion, sidecar.OpsetVersion);
        Assert.Equal(model.Network.Shape, sidecar.Shape);
        Assert.Equal(model.Features.Schema.Hash, sidecar.FeatureSchemaHash);
        Assert.Equal(model.Features.Schema.Names, sidecar.FeatureNames);
        Assert.Equal((model.BuyCalibration!.A, model.BuyCalibration.B), sidecar.BuyCalibration);
        Assert.Equal((model.ExitCalibration!.A, model.ExitCalibration.B), sidecar.ExitCalibration);
        Assert.Equal(model.BuyThreshold, sidecar.BuyThreshold);
        Assert.Equal(model.SessionTimeout.TotalSeconds, sidecar.SessionTimeoutSeconds);

        // The graph's weights read back are the model's, bit for bit.
        var proto = ModelProto.Parser.ParseFrom(file.Bytes);
        Assert.Equal(model.Network.Parameters, StepGraphBuilder.ReadParameters(proto, sidecar.Shape, "step.onnx"));
        Assert.Equal("batch", proto.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);

        var json = JsonNode.Parse(File.ReadAllText(SidecarPath))!;
        Assert.Equal("-Infinity", json["initialState"]!["m"]!.GetValue<string>());
        Assert.Equal(["x", "h", "c", "m", "s", "a"], json["inputs"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
    }

    [Fact]
    public void TruncatedGraphIsRefusedAsDamaged()
    {
        var bytes = File.ReadAllBytes(GraphPath);
        File.WriteAllBytes(GraphPath, bytes[..(bytes.Length / 2)]);
        var error = Assert.Throws<OnnxGraphException>(() => StepGraphFile.Load(_dir.Path));
        Assert.Contains("SHA-256", error.Message);
        Assert.Contains("damaged or was replaced", error.Message);
    }

    [Fact]
    public void BytesThatAreNotAnOnnxModelAreRefusedAsUnreadable()
    {
        // The sidecar vouches for the bytes, but they are not protobuf.
        byte[] garbage = [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37 + 11))];
        Rewrite(garbage);
        var error = Assert.Throws<OnnxGraphException>(() => StepGraphFile.Load(_dir.Path));
        Assert.Contains("is not a readable ONNX model", error.Message);
    }

    [Fact]
    public void GraphWithARenamedInputIsRefusedNamingTheInputs()
    {
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(GraphPath));
        proto.Graph.Input[1].Name = "hidden";
        Rewrite(proto.ToByteArray());
        var error = Assert.Throws<OnnxGraphException>(() => StepGraphFile.Load(_dir.Path));
        Assert.Contains("inputs (x, hidden, c, m, s, a)", error.Message);
        Assert.Contains("a step graph has x, h, c, m, s, a", error.Message);
    }

    [Fact]
    public void GraphWhoseHiddenSizeDiffersFromTheSidecarIsRefusedNamingTheShape()
    {
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(GraphPath));
        proto.Graph.Input[2].Type.TensorType.Shape.Dim[1].DimValue = 32;
        Rewrite(proto.ToByteArray());
        var error = Assert.Throws<OnnxGraphException>(() => StepGraphFile.Load(_dir.Path));
        Assert.Contains("input 'c' has shape [batch, 32]", error.Message);
        Assert.Contains("[batch, 64]", error.Message);
    }

    [Fact]
    public void GraphWhoseWeightsWereChangedIsRefused()
    {
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(GraphPath));
        var gates = proto.Graph.Initializer.Single(t => t.Name == "W_gates");
        var raw = gates.RawData.ToByteArray();
        raw[100] ^= 0x40;
        gates.RawData = ByteString.CopyFrom(raw);
        Rewrite(proto.ToByteArray());
        var error = Assert.Throws<OnnxGraphException>(() => StepGraphFile.Load(_dir.Path));
        Assert.Contains("the graph's weights were changed", error.Message);
    }

    [Fact]
    public void GraphOfAnOpsetOtherThanTheSidecarsIsRefused()
    {
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(GraphPath));
        proto.OpsetImport[0].Version = 11;
        Rewrite(proto.ToByteArray());
        var error = Assert.Throws<OnnxGraphException>(() => StepGraphFile.Load(_dir.Path));
        Assert.Contains("imports ONNX opset 11, but its sidecar says 17", error.Message);
    }

    [Fact]
    public void GraphOfAnotherModelIsRefusedForThisModel()
    {
        var model = BundledModel;
        var other = new MicroMomentModel(
            model.Features, AttentionLstm.Create(model.Network.Shape, 99), new PlattCalibrator(1, 0), new PlattCalibrator(1, 0),
            0.5f, 0.5f, model.SessionTimeout, model.Info with { Version = "other" });
        using var otherDir = new TempDirectory();
        OnnxExport.Export(other, otherDir.Path);
        Assert.NotNull(StepGraphFile.Load(otherDir.Path, other));
        var error = Assert.Throws<OnnxGraphException>(() => StepGraphFile.Load(otherDir.Path, model));
        Assert.Contains("holds the weights of model 'other'", error.Message);
        Assert.Contains("Export it from this model", error.Message);
    }

    [Fact]
    public void SidecarProblemsAreNamed()
    {
        var original = File.ReadAllText(SidecarPath);

        File.WriteAllText(SidecarPath, "{ not json");
        Assert.Contains("is not valid JSON", Assert.Throws<OnnxGraphException>(() => StepGraphFile.Load(_dir.Path)).Message);

        var json = JsonNode.Parse(original)!.AsObject();
        json["featureSchema"]!.AsObject().Remove("hash");
        File.WriteAllText(SidecarPath, json.ToJsonString());
        Assert.Contains("has no field 'featureSchema.hash'", Assert.Throws<OnnxGraphException>(() => StepGraphFile.Load(_dir.Path)).Message);

        json = JsonNode.Parse(original)!.AsObject();
        json["graph"] = "../elsewhere.onnx";
        File.WriteAllText(SidecarPath, json.ToJsonString());
        Assert.Contains("expected a plain file name", Assert.Throws<OnnxGraphException>(() => StepGraphFile.Load(_dir.Path)).Message);

        json = JsonNode.Parse(original)!.AsObject();
        json["shapes"]!["hiddenSize"] = "sixty-four";
        File.WriteAllText(SidecarPath, json.ToJsonString());
        Assert.Contains("'shapes.hiddenSize' is \"sixty-four\"; expected an integer", Assert.Throws<OnnxGraphException>(() => StepGraphFile.Load(_dir.Path)).Message);

        json = JsonNode.Parse(original)!.AsObject();
        json["featureSchema"]!["hash"] = "0123";
        File.WriteAllText(SidecarPath, json.ToJsonString());
        Assert.Contains("was exported for feature schema", Assert.Throws<OnnxGraphException>(() => StepGraphFile.Load(_dir.Path)).Message);

        File.Delete(SidecarPath);
        Assert.Contains("holds no sidecar 'step.json'", Assert.Throws<OnnxGraphException>(() => StepGraphFile.Load(_dir.Path)).Message);
    }

    [Fact]
    public void GraphThatOnnxRuntimeCannotRunIsRefusedAtSessionStart()
    {
        // Passes the file checks (the sidecar vouches for it, inputs, outputs and weights are right) but names an operator ONNX does not have.
        var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(GraphPath));
        proto.Graph.Node.First(n => n.OpType == "Tanh").OpType = "Tanhh";
        Rewrite(proto.ToByteArray());
        var file = StepGraphFile.Load(_dir.Path, BundledModel);
        var error = Assert.Throws<OnnxGraphException>(() => OnnxStepSession.Create(file, OnnxExecutionProvider.Cpu, 8));
        Assert.StartsWith("ONNX Runtime refused the step graph:", error.Message);
        Assert.Contains("Tanhh", error.Message);
    }

    /// <summary>Replaces the graph file and updates the sidecar's SHA-256 so the file passes the integrity check.</summary>
    private void Rewrite(byte[] graph)
    {
        File.WriteAllBytes(GraphPath, graph);
        var json = JsonNode.Parse(File.ReadAllText(SidecarPath))!.AsObject();
        json["graphSha256"] = OnnxExport.Sha256(graph);
        File.WriteAllText(SidecarPath, json.ToJsonString());
    }
}
