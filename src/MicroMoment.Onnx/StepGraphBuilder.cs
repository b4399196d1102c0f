using System.Runtime.InteropServices;
using Google.Protobuf;
using MicroMoment.Model;
using MicroMoment.Onnx.Protocol;

namespace MicroMoment.Onnx;

/// <summary>
/// Writes <see cref="AttentionLstm.Step"/> as an ONNX graph (see <see cref="StepGraph"/> for the contract). The nodes
/// follow the C# kernel operation for operation: gates = [x | h]·[Wx | Wh]ᵀ + b in the order i, f, g, o with sigmoid,
/// sigmoid, tanh, sigmoid; c' = f⊙c + i⊙g; h' = o⊙tanh(c'); e = vᵀ tanh(Wa h' + ba); the online softmax
/// m' = max(m, e), s' = s·exp(m − m') + exp(e − m'), a' = a·exp(m − m') + h'·exp(e − m'); and the heads on
/// [a'/s' ; h'].
/// </summary>
internal static class StepGraphBuilder
{
    private const string WeightsGates = "W_gates";
    private const string BiasGates = "b_gates";
    private const string GateSizes = "gate_sizes";
    private const string WeightsAttention = "W_attention";
    private const string BiasAttention = "b_attention";
    private const string VectorAttention = "v_attention";
    private const string WeightsHeads = "W_heads";
    private const string BiasHeads = "b_heads";
    private const string AxisOne = "axis_1";
    private const string IndexBuy = "index_buy";
    private const string IndexExit = "index_exit";

    /// <summary>The graph of <paramref name="network"/>'s step with <paramref name="metadata"/> as the model's metadata properties.</summary>
    public static ModelProto Build(AttentionLstm network, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(metadata);
        var shape = network.Shape;
        int d = shape.InputSize, h = shape.HiddenSize, a = shape.AttentionSize, g = shape.GateSize;

        var graph = new GraphProto
        {
            Name = StepGraph.GraphName,
            DocString = "One streaming step of the MicroMoment attention-LSTM for a batch of shoppers. Start a session with "
                + "h = c = a = 0, m = -inf, s = 0; feed each output state back as the next input state.",
        };
        foreach (var input in StepGraph.Inputs(shape)) graph.Input.Add(ValueInfo(input));
        foreach (var output in StepGraph.Outputs(shape)) graph.Output.Add(ValueInfo(output));

        // [Wx | Wh] as one 4H × (D + H) matrix: row r is gate unit r's weights on x then on h.
        var gates = new float[g * (d + h)];
        ReadOnlySpan<float> wx = network.InputWeights, wh = network.RecurrentWeights;
        for (int r = 0; r < g; r++)
        {
            wx.Slice(r * d, d).CopyTo(gates.AsSpan(r * (d + h), d));
            wh.Slice(r * h, h).CopyTo(gates.AsSpan(r * (d + h) + d, h));
        }

        var heads = new float[2 * 2 * h];
        network.BuyHeadWeights.CopyTo(heads.AsSpan(0, 2 * h));
        network.ExitHeadWeights.CopyTo(heads.AsSpan(2 * h, 2 * h));

        graph.Initializer.Add(FloatTensor(WeightsGates, [g, d + h], gates));
        graph.Initializer.Add(FloatTensor(BiasGates, [g], network.GateBias));
        graph.Initializer.Add(Int64Tensor(GateSizes, [4], [h, h, h, h]));
        graph.Initializer.Add(FloatTensor(WeightsAttention, [a, h], network.AttentionProjection));
        graph.Initializer.Add(FloatTensor(BiasAttention, [a], network.AttentionBias));
        graph.Initializer.Add(FloatTensor(VectorAttention, [a], network.AttentionVector));
        graph.Initializer.Add(FloatTensor(WeightsHeads, [2, 2 * h], heads));
        graph.Initializer.Add(FloatTensor(BiasHeads, [2], [network.BuyHeadBias, network.ExitHeadBias]));
        graph.Initializer.Add(Int64Tensor(AxisOne, [1], [1]));
        graph.Initializer.Add(Int64Tensor(IndexBuy, [], [0]));
        graph.Initializer.Add(Int64Tensor(IndexExit, [], [1]));

        // LSTM cell.
        Add(graph, "Concat", [StepGraph.X, StepGraph.H], ["xh"], "[x | h]", Int("axis", 1));
        Add(graph, "Gemm", ["xh", WeightsGates, BiasGates], ["gates"], "pre-activations [i f g o] = [x | h]·[Wx | Wh]ᵀ + b", Int("transB", 1));
        Add(graph, "Split", ["gates", GateSizes], ["gate_i", "gate_f", "gate_g", "gate_o"], "the four gates, H each", Int("axis", 1));
        Add(graph, "Sigmoid", ["gate_i"], ["input_gate"], "input gate");
        Add(graph, "Sigmoid", ["gate_f"], ["forget_gate"], "forget gate");
        Add(graph, "Tanh", ["gate_g"], ["candidate"], "cell candidate");
        Add(graph, "Sigmoid", ["gate_o"], ["output_gate"], "output gate");
        Add(graph, "Mul", ["forget_gate", StepGraph.C], ["kept_cell"], "f ⊙ c");
        Add(graph, "Mul", ["input_gate", "candidate"], ["new_cell"], "i ⊙ g");
        Add(graph, "Add", ["kept_cell", "new_cell"], [StepGraph.CNext], "c' = f ⊙ c + i ⊙ g");
        Add(graph, "Tanh", [StepGraph.CNext], ["cell_tanh"], "tanh(c')");
        Add(graph, "Mul", ["output_gate", "cell_tanh"], [StepGraph.HNext], "h' = o ⊙ tanh(c')");

        // Attention score of the new hidden state.
        Add(graph, "Gemm", [StepGraph.HNext, WeightsAttention, BiasAttention], ["attention_pre"], "Wa h' + ba", Int("transB", 1));
        Add(graph, "Tanh", ["attention_pre"], ["attention_hidden"], "tanh(Wa h' + ba)");
        Add(graph, "MatMul", ["attention_hidden", VectorAttention], [StepGraph.AttentionScore], "e = vᵀ tanh(Wa h' + ba)");

        // Online softmax over the session's scores.
        Add(graph, "Max", [StepGraph.M, StepGraph.AttentionScore], [StepGraph.MNext], "m' = max(m, e)");
        Add(graph, "Sub", [StepGraph.M, StepGraph.MNext], ["old_shift"], "m - m' (-inf on a session's first event)");
        Add(graph, "Exp", ["old_shift"], ["old_scale"], "exp(m - m')");
        Add(graph, "Sub", [StepGraph.AttentionScore, StepGraph.MNext], ["new_shift"], "e - m'");
        Add(graph, "Exp", ["new_shift"], ["new_scale"], "exp(e - m')");
        Add(graph, "Mul", [StepGraph.S, "old_scale"], ["kept_sum"], "s · exp(m - m')");
        Add(graph, "Add", ["kept_sum", "new_scale"], [StepGraph.SNext], "s' = s · exp(m - m') + exp(e - m')");
        Add(graph, "Unsqueeze", ["old_scale", AxisOne], ["old_scale_column"], "exp(m - m') as [B, 1]");
        Add(graph, "Unsqueeze", ["new_scale", AxisOne], ["new_scale_column"], "exp(e - m') as [B, 1]");
        Add(graph, "Mul", [StepGraph.A, "old_scale_column"], ["kept_context"], "a · exp(m - m')");
        Add(graph, "Mul", [StepGraph.HNext, "new_scale_column"], ["new_context"], "h' · exp(e - m')");
        Add(graph, "Add", ["kept_context", "new_context"], [StepGraph.ANext], "a' = a · exp(m - m') + h' · exp(e - m')");
        Add(graph, "Unsqueeze", [StepGraph.SNext, AxisOne], ["sum_column"], "s' as [B, 1]");
        Add(graph, "Div", [StepGraph.ANext, "sum_column"], ["context"], "ctx = a' / s'");

        // Heads on [ctx | h'].
        Add(graph, "Concat", ["context", StepGraph.HNext], ["head_input"], "z = [ctx | h']", Int("axis", 1));
        Add(graph, "Gemm", ["head_input", WeightsHeads, BiasHeads], ["logits"], "[buy, exit] = z·[w_buy ; w_exit]ᵀ + [b_buy, b_exit]", Int("transB", 1));
        Add(graph, "Gather", ["logits", IndexBuy], [StepGraph.BuyLogit], "buy logit", Int("axis", 1));
        Add(graph, "Gather", ["logits", IndexExit], [StepGraph.ExitLogit], "exit logit", Int("axis", 1));

        var model = new ModelProto
        {
            IrVersion = StepGraph.IrVersion,
            ProducerName = StepGraph.ProducerName,
            ProducerVersion = typeof(StepGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0",
            Domain = "ai.micromoment",
            ModelVersion = 1,
            DocString = "MicroMoment attention-LSTM streaming step (buy intent and exit risk per event).",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = StepGraph.OpsetVersion });
        foreach (var (key, value) in metadata) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    /// <summary>
    /// The network parameters (in <see cref="AttentionLstmLayout"/> order) held in <paramref name="model"/>'s
    /// initializers, the inverse of <see cref="Build"/>.
    /// </summary>
    /// <exception cref="OnnxGraphException">An initializer is missing or has the wrong type or shape.</exception>
    public static float[] ReadParameters(ModelProto model, AttentionLstmShape shape, string name)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(shape);
        int d = shape.InputSize, h = shape.HiddenSize, a = shape.AttentionSize, g = shape.GateSize;
        var layout = new AttentionLstmLayout(shape);
        var parameters = new float[layout.Count];
        float[] Read(string tensorName, long[] dims)
        {
            var tensor = model.Graph.Initializer.FirstOrDefault(t => t.Name == tensorName)
                ?? throw new OnnxGraphException($"'{name}' has no initializer '{tensorName}'; expected the step graph's weights.");
            if (tensor.DataType != (int)TensorProto.Types.DataType.Float || !tensor.Dims.SequenceEqual(dims))
            {
                throw new OnnxGraphException(
                    $"'{name}': initializer '{tensorName}' is type {tensor.DataType} [{string.Join(", ", tensor.Dims)}]; expected float32 [{string.Join(", ", dims)}].");
            }

            long count = dims.Aggregate(1L, (x, y) => x * y);
            if (tensor.RawData.Length > 0)
            {
                if (tensor.RawData.Length != count * sizeof(float))
                    throw new OnnxGraphException($"'{name}': initializer '{tensorName}' holds {tensor.RawData.Length} bytes; expected {count * sizeof(float)}.");
                var values = new float[count];
                var raw = tensor.RawData.Span;
                for (int i = 0; i < values.Length; i++) values[i] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * sizeof(float)));
                return values;
            }

            if (tensor.FloatData.Count != count)
                throw new OnnxGraphException($"'{name}': initializer '{tensorName}' holds {tensor.FloatData.Count} floats; expected {count}.");
            return [.. tensor.FloatData];
        }

        float[] gates = Read(WeightsGates, [g, d + h]);
        for (int r = 0; r < g; r++)
        {
            gates.AsSpan(r * (d + h), d).CopyTo(parameters.AsSpan(layout.InputWeights.Offset + r * d, d));
            gates.AsSpan(r * (d + h) + d, h).CopyTo(parameters.AsSpan(layout.RecurrentWeights.Offset + r * h, h));
        }

        Read(BiasGates, [g]).CopyTo(parameters, layout.GateBias.Offset);
        Read(WeightsAttention, [a, h]).CopyTo(parameters, layout.AttentionProjection.Offset);
        Read(BiasAttention, [a]).CopyTo(parameters, layout.AttentionBias.Offset);
        Read(VectorAttention, [a]).CopyTo(parameters, layout.AttentionVector.Offset);
        float[] heads = Read(WeightsHeads, [2, 2 * h]);
        heads.AsSpan(0, 2 * h).CopyTo(parameters.AsSpan(layout.BuyHeadWeights.Offset));
        heads.AsSpan(2 * h, 2 * h).CopyTo(parameters.AsSpan(layout.ExitHeadWeights.Offset));
        float[] biases = Read(BiasHeads, [2]);
        parameters[layout.BuyHeadBias.Offset] = biases[0];
        parameters[layout.ExitHeadBias.Offset] = biases[1];
        return parameters;
    }

    private static void Add(GraphProto graph, string op, string[] inputs, string[] outputs, string doc, AttributeProto? attribute = null)
    {
        var node = new NodeProto { OpType = op, Name = $"{outputs[0]}_{op}".ToLowerInvariant(), DocString = doc };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        if (attribute is not null) node.Attribute.Add(attribute);
        graph.Node.Add(node);
    }

    private static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static ValueInfoProto ValueInfo(GraphValue value)
    {
        var shape = new TensorShapeProto();
        foreach (long dim in value.Dimensions)
        {
            shape.Dim.Add(dim < 0
                ? new TensorShapeProto.Types.Dimension { DimParam = StepGraph.BatchDimension }
                : new TensorShapeProto.Types.Dimension { DimValue = dim });
        }

        return new ValueInfoProto
        {
            Name = value.Name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }

    private static TensorProto FloatTensor(string name, long[] dims, ReadOnlySpan<float> values) =>
        Tensor(name, dims, TensorProto.Types.DataType.Float, MemoryMarshal.AsBytes(values), sizeof(float));

    private static TensorProto Int64Tensor(string name, long[] dims, ReadOnlySpan<long> values) =>
        Tensor(name, dims, TensorProto.Types.DataType.Int64, MemoryMarshal.AsBytes(values), sizeof(long));

    private static TensorProto Tensor(string name, long[] dims, TensorProto.Types.DataType type, ReadOnlySpan<byte> bytes, int elementSize)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type };
        tensor.Dims.AddRange(dims);
        // ONNX stores raw_data little-endian.
        if (BitConverter.IsLittleEndian)
        {
            tensor.RawData = ByteString.CopyFrom(bytes);
        }
        else
        {
            var swapped = bytes.ToArray();
            for (int i = 0; i < swapped.Length; i += elementSize) Array.Reverse(swapped, i, elementSize);
            tensor.RawData = ByteString.CopyFrom(swapped);
        }

        return tensor;
    }
}
