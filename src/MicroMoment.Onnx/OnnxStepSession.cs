using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MicroMoment.Model;

namespace MicroMoment.Onnx;

/// <summary>
/// Runs the exported step graph (<see cref="StepGraph"/>) on ONNX Runtime for batches of shoppers laid out as
/// <see cref="AttentionLstm.StepBatch"/> lays them out: inputs B × D, states B × (3H + 2) as [h | c | a | m | s].
/// </summary>
/// <remarks>
/// The tensors live in buffers allocated once for <see cref="MaxBatch"/> rows outside the managed heap (page-locked
/// CUDA host memory on the CUDA provider when ONNX Runtime provides it). A step copies the batch into them once,
/// runs, and copies the new state and logits out once. On the CPU provider each batch size gets one I/O binding over
/// those buffers the first time it is seen, so later steps of that size allocate nothing. On the CUDA provider the
/// inputs are bound again every step, because ONNX Runtime copies a host input to the device when it is bound; the
/// outputs stay bound and come back from the device at the end of the run.
/// One call at a time; not thread-safe.
/// </remarks>
public sealed unsafe class OnnxStepSession : IDisposable
{
    private static readonly string[] InputNames = [StepGraph.X, StepGraph.H, StepGraph.C, StepGraph.M, StepGraph.S, StepGraph.A];

    private static readonly string[] OutputNames =
    [
        StepGraph.HNext, StepGraph.CNext, StepGraph.MNext, StepGraph.SNext, StepGraph.ANext,
        StepGraph.BuyLogit, StepGraph.ExitLogit, StepGraph.AttentionScore,
    ];

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly OrtMemoryInfo _memoryInfo;
    private readonly OrtAllocator? _pinnedAllocator;
    private readonly List<OrtMemoryAllocation> _pinned = [];
    private readonly List<IntPtr> _native = [];
    private readonly int[] _inputWidths;
    private readonly int[] _outputWidths;
    private readonly float*[] _inputs;
    private readonly float*[] _outputs;
    private readonly Bound?[] _bound;
    private readonly int _d;
    private readonly int _h;
    private readonly int _s;
    private bool _disposed;

    private OnnxStepSession(byte[] graph, AttentionLstmShape shape, OnnxExecutionProvider provider, int maxBatch, int threads)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatch, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxBatch, 1 << 20);
        Shape = shape;
        Provider = provider;
        MaxBatch = maxBatch;
        _d = shape.InputSize;
        _h = shape.HiddenSize;
        _s = shape.StateSize;
        _inputWidths = [_d, _h, _h, 1, 1, _h];
        _outputWidths = [_h, _h, 1, 1, _h, 1, 1, 1];

        using (var options = OnnxRuntimeEnvironment.CreateSessionOptions(provider, threads))
        {
            try
            {
                _session = new InferenceSession(graph, options);
            }
            catch (OnnxRuntimeException ex) when (provider == OnnxExecutionProvider.Cuda && !LooksLikeGraphError(ex))
            {
                throw OnnxRuntimeEnvironment.CudaUnavailable(ex);
            }
            catch (OnnxRuntimeException ex)
            {
                throw new OnnxGraphException($"ONNX Runtime refused the step graph: {OnnxRuntimeEnvironment.Clean(ex.Message)}", ex);
            }
        }

        try
        {
            CheckSignature();
            _memoryInfo = OrtMemoryInfo.DefaultInstance;
            HostMemory = "native heap";
            if (provider == OnnxExecutionProvider.Cuda)
            {
                using var pinned = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA_PINNED, OrtAllocatorType.DeviceAllocator, 0, OrtMemType.CpuOutput);
                try
                {
                    _pinnedAllocator = new OrtAllocator(_session, pinned);
                    _memoryInfo = _pinnedAllocator.Info;
                    HostMemory = "CUDA page-locked";
                }
                catch (OnnxRuntimeException)
                {
                    // The session offers no page-locked allocator: ordinary host memory works, the copies are slower.
                    _pinnedAllocator?.Dispose();
                    _pinnedAllocator = null;
                    _memoryInfo = OrtMemoryInfo.DefaultInstance;
                }
            }

            _inputs = new float*[_inputWidths.Length];
            _outputs = new float*[_outputWidths.Length];
            for (int i = 0; i < _inputs.Length; i++) _inputs[i] = Allocate((long)maxBatch * _inputWidths[i]);
            for (int i = 0; i < _outputs.Length; i++) _outputs[i] = Allocate((long)maxBatch * _outputWidths[i]);
            _bound = new Bound?[maxBatch + 1];
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Sizes of the model the graph steps.</summary>
    public AttentionLstmShape Shape { get; }

    /// <summary>The execution provider the session runs on.</summary>
    public OnnxExecutionProvider Provider { get; }

    /// <summary>Most rows one call may carry.</summary>
    public int MaxBatch { get; }

    /// <summary>Where the batch buffers live ("native heap", or "CUDA page-locked" on the CUDA provider when available).</summary>
    public string HostMemory { get; }

    /// <summary>
    /// A session over <paramref name="network"/>'s step graph, built in memory by the same code as
    /// <see cref="OnnxExport"/>, on <paramref name="provider"/>.
    /// </summary>
    /// <exception cref="OnnxRuntimeUnavailableException">ONNX Runtime or the provider cannot run here; the message says why.</exception>
    public static OnnxStepSession Create(AttentionLstm network, OnnxExecutionProvider provider, int maxBatch, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new OnnxStepSession(OnnxExport.GraphBytes(network, []), network.Shape, provider, maxBatch, threads);
    }

    /// <summary>A session over an exported graph that <see cref="StepGraphFile.Load"/> checked.</summary>
    /// <exception cref="OnnxRuntimeUnavailableException">ONNX Runtime or the provider cannot run here; the message says why.</exception>
    /// <exception cref="OnnxGraphException">ONNX Runtime refused the graph.</exception>
    public static OnnxStepSession Create(StepGraphFile graph, OnnxExecutionProvider provider, int maxBatch, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(graph);
        return new OnnxStepSession(graph.Bytes, graph.Shape, provider, maxBatch, threads);
    }

    /// <summary>
    /// Advances B rows by one event: <paramref name="inputs"/> is B × D, <paramref name="states"/> B × (3H + 2)
    /// (updated in place) and each output span has length B. Same contract and checks as
    /// <see cref="AttentionLstm.StepBatch"/>; after the first call with a batch size, allocates nothing on the CPU provider.
    /// </summary>
    public void Step(ReadOnlySpan<float> inputs, Span<float> states, Span<float> buyLogits, Span<float> exitLogits, Span<float> attentionScores)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (inputs.Length % _d != 0)
            throw new ArgumentException($"Expected inputs of B × InputSize ({_d}) floats, but got {inputs.Length}, which is not a multiple of {_d}.", nameof(inputs));
        int batch = inputs.Length / _d;
        if (batch > MaxBatch)
            throw new ArgumentException($"Batch of {batch} rows exceeds this session's capacity of {MaxBatch}.", nameof(inputs));
        if (states.Length != (long)batch * _s)
            throw new ArgumentException($"Expected states to hold B ({batch}) × StateSize ({_s}) = {(long)batch * _s} floats, but got {states.Length}.", nameof(states));
        CheckLength(buyLogits.Length, batch, nameof(buyLogits));
        CheckLength(exitLogits.Length, batch, nameof(exitLogits));
        CheckLength(attentionScores.Length, batch, nameof(attentionScores));
        if (batch == 0) return;
        if (FirstNonFinite(inputs) is int bad and >= 0)
        {
            throw new ArgumentException(
                $"Input feature {bad % _d} of row {bad / _d} is {inputs[bad]}; features must be finite (a NaN would corrupt the user's state for good).",
                nameof(inputs));
        }

        int h = _h, s = _s;
        inputs.CopyTo(new Span<float>(_inputs[0], batch * _d));
        float* hIn = _inputs[1], cIn = _inputs[2], mIn = _inputs[3], sIn = _inputs[4], aIn = _inputs[5];
        for (int r = 0; r < batch; r++)
        {
            Span<float> row = states.Slice(r * s, s);
            row[..h].CopyTo(new Span<float>(hIn + (nint)r * h, h));
            row.Slice(h, h).CopyTo(new Span<float>(cIn + (nint)r * h, h));
            row.Slice(2 * h, h).CopyTo(new Span<float>(aIn + (nint)r * h, h));
            mIn[r] = row[3 * h];
            sIn[r] = row[3 * h + 1];
        }

        var bound = _bound[batch] ??= Bind(batch);
        if (Provider == OnnxExecutionProvider.Cuda)
        {
            // A host input is copied to the device when it is bound: bind this step's data.
            for (int i = 0; i < InputNames.Length; i++) bound.Binding.BindInput(InputNames[i], bound.Inputs[i]);
        }

        _session.RunWithBinding(_runOptions, bound.Binding);

        float* hOut = _outputs[0], cOut = _outputs[1], mOut = _outputs[2], sOut = _outputs[3], aOut = _outputs[4];
        for (int r = 0; r < batch; r++)
        {
            Span<float> row = states.Slice(r * s, s);
            new ReadOnlySpan<float>(hOut + (nint)r * h, h).CopyTo(row[..h]);
            new ReadOnlySpan<float>(cOut + (nint)r * h, h).CopyTo(row.Slice(h, h));
            new ReadOnlySpan<float>(aOut + (nint)r * h, h).CopyTo(row.Slice(2 * h, h));
            row[3 * h] = mOut[r];
            row[3 * h + 1] = sOut[r];
        }

        new ReadOnlySpan<float>(_outputs[5], batch).CopyTo(buyLogits);
        new ReadOnlySpan<float>(_outputs[6], batch).CopyTo(exitLogits);
        new ReadOnlySpan<float>(_outputs[7], batch).CopyTo(attentionScores);
    }

    /// <summary>Releases the session, its bindings and buffers.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_bound is not null)
        {
            foreach (var bound in _bound) bound?.Dispose();
        }

        foreach (var allocation in _pinned) allocation.Dispose();
        foreach (var pointer in _native) NativeMemory.AlignedFree((void*)pointer);
        _pinnedAllocator?.Dispose();
        _runOptions.Dispose();
        _session?.Dispose();
    }

    private Bound Bind(int batch)
    {
        var binding = _session.CreateIoBinding();
        var inputs = new OrtValue[InputNames.Length];
        var outputs = new OrtValue[OutputNames.Length];
        var bound = new Bound(binding, inputs, outputs);
        try
        {
            for (int i = 0; i < inputs.Length; i++)
            {
                inputs[i] = View(_inputs[i], batch, _inputWidths[i], InputNames[i]);
                binding.BindInput(InputNames[i], inputs[i]);
            }

            for (int i = 0; i < outputs.Length; i++)
            {
                outputs[i] = View(_outputs[i], batch, _outputWidths[i], OutputNames[i]);
                binding.BindOutput(OutputNames[i], outputs[i]);
            }

            return bound;
        }
        catch
        {
            bound.Dispose();
            throw;
        }
    }

    private OrtValue View(float* buffer, int batch, int width, string name)
    {
        long[] shape = name is StepGraph.M or StepGraph.S or StepGraph.MNext or StepGraph.SNext or StepGraph.BuyLogit or StepGraph.ExitLogit or StepGraph.AttentionScore
            ? [batch]
            : [batch, width];
        return OrtValue.CreateTensorValueWithData(_memoryInfo, TensorElementType.Float, shape, (IntPtr)buffer, (long)batch * width * sizeof(float));
    }

    private float* Allocate(long floats)
    {
        long bytes = Math.Max(1, floats) * sizeof(float);
        if (_pinnedAllocator is not null)
        {
            var allocation = _pinnedAllocator.Allocate(checked((uint)bytes));
            _pinned.Add(allocation);
            return (float*)allocation.DangerousGetHandle();
        }

        void* pointer = NativeMemory.AlignedAlloc((nuint)bytes, 64);
        _native.Add((IntPtr)pointer);
        return (float*)pointer;
    }

    /// <summary>Refuses a graph whose inputs or outputs are not the step's, naming the first difference.</summary>
    private void CheckSignature()
    {
        foreach (var expected in StepGraph.Inputs(Shape))
        {
            if (!_session.InputMetadata.TryGetValue(expected.Name, out var meta))
                throw new OnnxGraphException($"The step graph has no input '{expected.Name}'; it has {string.Join(", ", _session.InputNames)}.");
            CheckValue("input", expected, meta);
        }

        foreach (var expected in StepGraph.Outputs(Shape))
        {
            if (!_session.OutputMetadata.TryGetValue(expected.Name, out var meta))
                throw new OnnxGraphException($"The step graph has no output '{expected.Name}'; it has {string.Join(", ", _session.OutputNames)}.");
            CheckValue("output", expected, meta);
        }

        if (_session.InputNames.Count != InputNames.Length)
            throw new OnnxGraphException($"The step graph has {_session.InputNames.Count} inputs ({string.Join(", ", _session.InputNames)}); expected {string.Join(", ", InputNames)}.");
    }

    private static void CheckValue(string kind, GraphValue expected, NodeMetadata meta)
    {
        if (meta.ElementDataType != TensorElementType.Float)
            throw new OnnxGraphException($"The step graph's {kind} '{expected.Name}' holds {meta.ElementDataType}; expected float32.");
        var dims = meta.Dimensions;
        bool same = dims.Length == expected.Dimensions.Length;
        for (int i = 0; same && i < dims.Length; i++) same = expected.Dimensions[i] < 0 ? dims[i] < 0 : dims[i] == expected.Dimensions[i];
        if (!same)
        {
            string actual = "[" + string.Join(", ", dims.Select(d => d < 0 ? StepGraph.BatchDimension : d.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
            throw new OnnxGraphException($"The step graph's {kind} '{expected.Name}' has shape {actual}; this model needs {expected.ShapeText}.");
        }
    }

    private static bool LooksLikeGraphError(OnnxRuntimeException ex) =>
        ex.Message.Contains("INVALID_GRAPH", StringComparison.Ordinal) || ex.Message.Contains("INVALID_PROTOBUF", StringComparison.Ordinal)
        || ex.Message.Contains("NOT_IMPLEMENTED", StringComparison.Ordinal) || ex.Message.Contains("InvalidGraph", StringComparison.Ordinal)
        || ex.Message.Contains("InvalidProtobuf", StringComparison.Ordinal);

    private static void CheckLength(int actual, int expected, string name)
    {
        if (actual != expected)
            throw new ArgumentException($"Expected {name} to hold B = {expected} floats, but got {actual}.", name);
    }

    private static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float start = ref MemoryMarshal.GetReference(values);
            for (; i + 8 <= values.Length; i += 8)
            {
                // x − x is 0 for finite x and NaN for NaN or ±∞.
                Vector256<float> v = Vector256.LoadUnsafe(ref start, (nuint)i);
                if (!Vector256.EqualsAll(v - v, Vector256<float>.Zero)) break;
            }
        }

        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i])) return i;
        }

        return -1;
    }

    /// <summary>One batch size's binding and the tensor views it binds.</summary>
    private sealed class Bound(OrtIoBinding binding, OrtValue[] inputs, OrtValue[] outputs) : IDisposable
    {
        public OrtIoBinding Binding { get; } = binding;

        public OrtValue[] Inputs { get; } = inputs;

        public OrtValue[] Outputs { get; } = outputs;

        public void Dispose()
        {
            Binding.Dispose();
            foreach (var value in Inputs) value?.Dispose();
            foreach (var value in Outputs) value?.Dispose();
        }
    }
}
