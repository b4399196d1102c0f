using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Google.Protobuf;
using MicroMoment.Model;
using MicroMoment.Scoring;

namespace MicroMoment.Onnx;

/// <summary>
/// Writes a model's streaming step as an ONNX graph (<see cref="GraphFileName"/>) with its JSON sidecar
/// (<see cref="SidecarFileName"/>); see <see cref="StepGraph"/> for the graph's contract.
/// </summary>
public static class OnnxExport
{
    /// <summary>The graph's file name.</summary>
    public const string GraphFileName = "step.onnx";

    /// <summary>The sidecar's file name.</summary>
    public const string SidecarFileName = "step.json";

    /// <summary>Graph metadata key: the feature schema hash.</summary>
    public const string FeatureSchemaHashKey = "micromoment.featureSchemaHash";

    /// <summary>Graph metadata key: SHA-256 of the network parameters.</summary>
    public const string ParametersSha256Key = "micromoment.parametersSha256";

    /// <summary>Graph metadata key: the model version.</summary>
    public const string ModelVersionKey = "micromoment.modelVersion";

    /// <summary>
    /// Writes <paramref name="model"/>'s step graph and sidecar into <paramref name="directory"/> (created when
    /// missing; existing files of those names are replaced) and returns the sidecar.
    /// </summary>
    public static StepGraphSidecar Export(MicroMomentModel model, string directory)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        byte[] graph = GraphBytes(model);
        var sidecar = StepGraphSidecar.For(model, GraphFileName, Sha256(graph));
        WriteAtomically(Path.Combine(directory, GraphFileName), graph);
        WriteAtomically(Path.Combine(directory, SidecarFileName), System.Text.Encoding.UTF8.GetBytes(sidecar.ToJson()));
        return sidecar;
    }

    /// <summary>The serialized step graph of <paramref name="model"/>, with its identity in the graph's metadata.</summary>
    public static byte[] GraphBytes(MicroMomentModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return GraphBytes(model.Network,
        [
            KeyValuePair.Create(FeatureSchemaHashKey, model.Features.Schema.Hash),
            KeyValuePair.Create(ParametersSha256Key, ParametersDigest(model.Network.Parameters)),
            KeyValuePair.Create(ModelVersionKey, model.Info.Version),
        ]);
    }

    /// <summary>The serialized step graph of <paramref name="network"/> with <paramref name="metadata"/>.</summary>
    public static byte[] GraphBytes(AttentionLstm network, IEnumerable<KeyValuePair<string, string>> metadata) =>
        StepGraphBuilder.Build(network, metadata).ToByteArray();

    /// <summary>SHA-256 (lower-case hex) of <paramref name="parameters"/> as float32 little-endian.</summary>
    public static string ParametersDigest(ReadOnlySpan<float> parameters)
    {
        if (BitConverter.IsLittleEndian) return Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(parameters)));
        var bytes = new byte[parameters.Length * sizeof(float)];
        for (int i = 0; i < parameters.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), parameters[i]);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>SHA-256 (lower-case hex) of <paramref name="bytes"/>.</summary>
    public static string Sha256(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static void WriteAtomically(string path, byte[] bytes)
    {
        string temporary = path + ".tmp";
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, path, overwrite: true);
    }
}
