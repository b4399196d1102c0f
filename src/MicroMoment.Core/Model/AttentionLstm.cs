using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using MicroMoment.Numerics;

namespace MicroMoment.Model;

/// <summary>
/// Attention-augmented LSTM that scores every event of a session with two sigmoid heads (buy intent, exit risk).
/// <para>
/// LSTM: [i; f; g; o] = Wx·x_t + Wh·h_{t-1} + b with i, f, o sigmoid and g tanh; c_t = f⊙c_{t-1} + i⊙g;
/// h_t = o⊙tanh(c_t). Attention: e_t = vᵀ tanh(Wa h_t + ba), causal per prefix:
/// α^{(t)} = softmax(e_1..e_t), ctx_t = Σ_{i≤t} α_i^{(t)} h_i. Heads act on z_t = [ctx_t ; h_t]:
/// buyLogit_t = w_buy·z_t + b_buy, exitLogit_t = w_exit·z_t + b_exit.
/// </para>
/// <para>
/// The heads see h_t next to ctx_t on purpose: a head on the context alone dilutes the newest event among
/// everything attended before it, so a decisive last click (e.g. add-to-cart) would move the score only by
/// its attention share.
/// </para>
/// <para>
/// Streaming inference keeps O(H) floats per user (<see cref="StateSize"/>) and is exact: the prefix softmax is
/// maintained online with a running maximum. Instances are safe for concurrent <see cref="Step"/> calls on
/// different states once trained; <see cref="Parameters"/> must not change while inference runs, and after
/// changing it directly call <see cref="RefreshInferenceCache"/>.
/// </para>
/// </summary>
[SkipLocalsInit]
public sealed unsafe class AttentionLstm
{
    /// <summary>Scratch floats that <see cref="Step"/> places on the stack; larger shapes use a per-thread buffer.</summary>
    private const int MaxStackScratch = 4 * 256 + 256;

    [ThreadStatic]
    private static float[]? t_scratch;

    private readonly int _d;
    private readonly int _h;
    private readonly int _a;

    /// <summary>Input-major copy of [Wx | Wh]: (D + H) rows of 4H gate columns, row r = column r of [Wx | Wh].</summary>
    private readonly float[] _inputMajor;

    /// <summary>Waᵀ: H rows of A columns.</summary>
    private readonly float[] _attentionTransposed;

    private AttentionLstm(AttentionLstmShape shape, float[] parameters)
    {
        Shape = shape;
        Layout = new AttentionLstmLayout(shape);
        Parameters = parameters;
        _d = shape.InputSize;
        _h = shape.HiddenSize;
        _a = shape.AttentionSize;
        _inputMajor = new float[(_d + _h) * 4 * _h];
        _attentionTransposed = new float[_h * _a];
        RefreshInferenceCache();
    }

    /// <summary>Sizes of this model.</summary>
    public AttentionLstmShape Shape { get; }

    /// <summary>Where each weight block lives in <see cref="Parameters"/>.</summary>
    public AttentionLstmLayout Layout { get; }

    /// <summary>All trainable parameters in one flat array, laid out as described by <see cref="AttentionLstmLayout"/>.</summary>
    public float[] Parameters { get; }

    /// <summary>Floats of per-user streaming state: [h (H) | c (H) | a (H) | m | s] = 3H + 2.</summary>
    public int StateSize => Shape.StateSize;

    /// <summary>Wx (4H × D, row-major).</summary>
    public Span<float> InputWeights => Block(Layout.InputWeights);

    /// <summary>Wh (4H × H, row-major).</summary>
    public Span<float> RecurrentWeights => Block(Layout.RecurrentWeights);

    /// <summary>Gate bias b (4H).</summary>
    public Span<float> GateBias => Block(Layout.GateBias);

    /// <summary>Wa (A × H, row-major).</summary>
    public Span<float> AttentionProjection => Block(Layout.AttentionProjection);

    /// <summary>Attention bias ba (A).</summary>
    public Span<float> AttentionBias => Block(Layout.AttentionBias);

    /// <summary>Attention scoring vector v (A).</summary>
    public Span<float> AttentionVector => Block(Layout.AttentionVector);

    /// <summary>Buy head weights (2H: context then h).</summary>
    public Span<float> BuyHeadWeights => Block(Layout.BuyHeadWeights);

    /// <summary>Exit head weights (2H: context then h).</summary>
    public Span<float> ExitHeadWeights => Block(Layout.ExitHeadWeights);

    /// <summary>Buy head bias.</summary>
    public float BuyHeadBias => Parameters[Layout.BuyHeadBias.Offset];

    /// <summary>Exit head bias.</summary>
    public float ExitHeadBias => Parameters[Layout.ExitHeadBias.Offset];

    /// <summary>Input-major [Wx | Wh] cache ((D + H) × 4H) used by inference and the training forward pass.</summary>
    internal ReadOnlySpan<float> InputMajorWeights => _inputMajor;

    /// <summary>Waᵀ cache (H × A).</summary>
    internal ReadOnlySpan<float> AttentionProjectionTransposed => _attentionTransposed;

    /// <summary>
    /// New model with Glorot-uniform weights (limit √(6 / (fan_in + fan_out)), per gate for the LSTM matrices),
    /// forget-gate bias 1 and all other biases 0. Fully determined by <paramref name="seed"/>.
    /// </summary>
    public static AttentionLstm Create(AttentionLstmShape shape, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var layout = new AttentionLstmLayout(shape);
        var parameters = new float[layout.Count];
        var rng = new SplitMix64(seed);
        int d = shape.InputSize, h = shape.HiddenSize, a = shape.AttentionSize;
        Fill(parameters.AsSpan(layout.InputWeights.Offset, layout.InputWeights.Length), GlorotLimit(d, h), ref rng);
        Fill(parameters.AsSpan(layout.RecurrentWeights.Offset, layout.RecurrentWeights.Length), GlorotLimit(h, h), ref rng);
        parameters.AsSpan(layout.GateBias.Offset + h, h).Fill(1f);
        Fill(parameters.AsSpan(layout.AttentionProjection.Offset, layout.AttentionProjection.Length), GlorotLimit(h, a), ref rng);
        Fill(parameters.AsSpan(layout.AttentionVector.Offset, layout.AttentionVector.Length), GlorotLimit(a, 1), ref rng);
        Fill(parameters.AsSpan(layout.BuyHeadWeights.Offset, layout.BuyHeadWeights.Length), GlorotLimit(2 * h, 1), ref rng);
        Fill(parameters.AsSpan(layout.ExitHeadWeights.Offset, layout.ExitHeadWeights.Length), GlorotLimit(2 * h, 1), ref rng);
        return new AttentionLstm(shape, parameters);
    }

    /// <summary>Model over a copy of <paramref name="parameters"/>, which must hold exactly <see cref="AttentionLstmShape.ParameterCount"/> floats.</summary>
    public static AttentionLstm FromParameters(AttentionLstmShape shape, float[] parameters)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Length != shape.ParameterCount)
        {
            throw new ArgumentException(
                $"Expected {shape.ParameterCount} parameters for {shape}, but got {parameters.Length}.", nameof(parameters));
        }

        return new AttentionLstm(shape, (float[])parameters.Clone());
    }

    /// <summary>Independent copy of this model (parameters and caches).</summary>
    public AttentionLstm Clone() => new(Shape, (float[])Parameters.Clone());

    /// <summary>Rebuilds the derived inference layouts from <see cref="Parameters"/>; call after changing parameters directly.</summary>
    public void RefreshInferenceCache()
    {
        int g = 4 * _h;
        ReadOnlySpan<float> wx = Block(Layout.InputWeights);
        ReadOnlySpan<float> wh = Block(Layout.RecurrentWeights);
        for (int r = 0; r < g; r++)
        {
            for (int j = 0; j < _d; j++)
            {
                _inputMajor[j * g + r] = wx[r * _d + j];
            }

            for (int j = 0; j < _h; j++)
            {
                _inputMajor[(_d + j) * g + r] = wh[r * _h + j];
            }
        }

        ReadOnlySpan<float> wa = Block(Layout.AttentionProjection);
        for (int q = 0; q < _a; q++)
        {
            for (int j = 0; j < _h; j++)
            {
                _attentionTransposed[j * _a + q] = wa[q * _h + j];
            }
        }
    }

    /// <summary>Clears a per-user state to "no events yet" (h = c = a = 0, m = −∞, s = 0).</summary>
    public void ResetState(Span<float> state)
    {
        CheckState(state, nameof(state));
        state[..(3 * _h)].Clear();
        state[3 * _h] = float.NegativeInfinity;
        state[3 * _h + 1] = 0f;
    }

    /// <summary>
    /// Consumes one event's features <paramref name="x"/> (length D) and advances <paramref name="state"/>
    /// (length <see cref="StateSize"/>, initialised by <see cref="ResetState"/>). Allocates nothing.
    /// </summary>
    public StepOutput Step(ReadOnlySpan<float> x, Span<float> state)
    {
        if (x.Length != _d)
        {
            throw new ArgumentException($"Expected an input of InputSize = {_d} features, but got {x.Length}.", nameof(x));
        }

        CheckState(state, nameof(state));
        if (FirstNonFinite(x) is int bad and >= 0)
        {
            throw new ArgumentException($"Input feature {bad} is {x[bad]}; features must be finite (a NaN would corrupt the user's state for good).", nameof(x));
        }

        int g = 4 * _h;
        int scratchLength = g + _a;
        Span<float> scratch = scratchLength <= MaxStackScratch ? stackalloc float[scratchLength] : ThreadScratch(scratchLength);
        Span<float> gates = scratch[..g];
        Span<float> attention = scratch.Slice(g, _a);

        ReadOnlySpan<float> h = state[.._h];
        GemmKernel.Multiply(1, g, _d, x, 0, 1, _inputMajor, g, gates, g, accumulate: false, bias: GateBias);
        GemmKernel.Multiply(1, g, _h, h, 0, 1, _inputMajor.AsSpan(_d * g), g, gates, g, accumulate: true);
        UpdateCell(gates, state);
        GemmKernel.Multiply(1, _a, _h, h, 0, 1, _attentionTransposed, _a, attention, _a, accumulate: false, bias: AttentionBias);
        return FinishStep(attention, state);
    }

    /// <summary>
    /// Advances B users at once: <paramref name="inputs"/> is B × D row-major, <paramref name="states"/> B ×
    /// <see cref="StateSize"/>, and each output span has length B. Row r gives the same result as
    /// <see cref="Step"/> on row r (up to float rounding of a different summation order). Large batches are
    /// split into row blocks across cores. Allocates nothing.
    /// </summary>
    public void StepBatch(
        ReadOnlySpan<float> inputs,
        Span<float> states,
        Span<float> buyLogits,
        Span<float> exitLogits,
        Span<float> attentionScores,
        BatchWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        if (workspace.Shape != Shape)
        {
            throw new ArgumentException($"Workspace was built for {workspace.Shape}, but this model is {Shape}.", nameof(workspace));
        }

        if (inputs.Length % _d != 0)
        {
            throw new ArgumentException(
                $"Expected inputs of B × InputSize ({_d}) floats, but got {inputs.Length}, which is not a multiple of {_d}.", nameof(inputs));
        }

        int batch = inputs.Length / _d;
        if (batch > workspace.MaxBatch)
        {
            throw new ArgumentException($"Batch of {batch} rows exceeds the workspace capacity of {workspace.MaxBatch}.", nameof(inputs));
        }

        if (states.Length != (long)batch * StateSize)
        {
            ThrowLength(states.Length, (long)batch * StateSize, nameof(states), $"B ({batch}) × StateSize ({StateSize})");
        }

        CheckLength(buyLogits.Length, batch, nameof(buyLogits), "B");
        CheckLength(exitLogits.Length, batch, nameof(exitLogits), "B");
        CheckLength(attentionScores.Length, batch, nameof(attentionScores), "B");
        if (batch == 0)
        {
            return;
        }

        if (FirstNonFinite(inputs) is int bad and >= 0)
        {
            throw new ArgumentException(
                $"Input feature {bad % _d} of row {bad / _d} is {inputs[bad]}; features must be finite (a NaN would corrupt the user's state for good).",
                nameof(inputs));
        }

        fixed (float* pInputs = inputs, pStates = states, pBuy = buyLogits, pExit = exitLogits, pScores = attentionScores)
        {
            workspace.Run(this, pInputs, pStates, pBuy, pExit, pScores, batch);
        }
    }

    /// <summary>
    /// Per-prefix logits of a whole sequence (inputs: length × D row-major) computed the training way
    /// (all prefixes at once with one global softmax shift); equals streaming <see cref="Step"/> up to rounding.
    /// </summary>
    public void ForwardSequence(ReadOnlySpan<float> inputs, int length, Span<float> buyLogits, Span<float> exitLogits)
    {
        CheckSequence(inputs, length);
        CheckLength(buyLogits.Length, length, nameof(buyLogits), "length");
        CheckLength(exitLogits.Length, length, nameof(exitLogits), "length");
        SequencePass pass = SequencePass.ForThread(Shape, length);
        pass.Forward(this, inputs, length);
        pass.BuyLogits[..length].CopyTo(buyLogits);
        pass.ExitLogits[..length].CopyTo(exitLogits);
    }

    /// <summary>Attention weights α^{(T)} = softmax(e_1..e_T) of the full sequence (inputs: length × D row-major).</summary>
    public float[] AttentionWeights(ReadOnlySpan<float> inputs, int length)
    {
        CheckSequence(inputs, length);
        SequencePass pass = SequencePass.ForThread(Shape, length);
        pass.Forward(this, inputs, length);
        var weights = new float[length];
        double total = pass.CumulativeWeights[length - 1];
        for (int t = 0; t < length; t++)
        {
            weights[t] = (float)(pass.Weights[t] / total);
        }

        return weights;
    }

    /// <summary>Runs rows [first, end) of a batch: two GEMMs for the gates, one for attention, then per-row finishing.</summary>
    internal void StepRows(float* inputs, float* states, float* buy, float* exit, float* scores, int first, int end, BatchWorkspace workspace)
    {
        int rows = end - first;
        int g = 4 * _h;
        int stateSize = StateSize;
        var x = new ReadOnlySpan<float>(inputs + (nint)first * _d, rows * _d);
        var state = new Span<float>(states + (nint)first * stateSize, rows * stateSize);
        Span<float> gates = workspace.Gates.AsSpan(first * g, rows * g);
        Span<float> attention = workspace.Attention.AsSpan(first * _a, rows * _a);

        GemmKernel.Multiply(rows, g, _d, x, _d, 1, _inputMajor, g, gates, g, accumulate: false, bias: GateBias);
        GemmKernel.Multiply(rows, g, _h, state, stateSize, 1, _inputMajor.AsSpan(_d * g), g, gates, g, accumulate: true);
        for (int r = 0; r < rows; r++)
        {
            UpdateCell(gates.Slice(r * g, g), state.Slice(r * stateSize, stateSize));
        }

        GemmKernel.Multiply(rows, _a, _h, state, stateSize, 1, _attentionTransposed, _a, attention, _a, accumulate: false, bias: AttentionBias);
        for (int r = 0; r < rows; r++)
        {
            StepOutput output = FinishStep(attention.Slice(r * _a, _a), state.Slice(r * stateSize, stateSize));
            buy[first + r] = output.BuyLogit;
            exit[first + r] = output.ExitLogit;
            scores[first + r] = output.AttentionScore;
        }
    }

    internal void CheckSequence(ReadOnlySpan<float> inputs, int length)
    {
        if (length <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "Sequence length must be at least 1.");
        }

        if (inputs.Length != (long)length * _d)
        {
            ThrowLength(inputs.Length, (long)length * _d, nameof(inputs), $"length ({length}) × InputSize ({_d})");
        }
    }

    /// <summary>Activates pre-activation gates [i f g o] in place and writes the new c and h into the state.</summary>
    private void UpdateCell(Span<float> gates, Span<float> state)
    {
        Span<float> cell = state.Slice(_h, _h);
        Activations.LstmPointwise(gates, cell, cell, default, state[.._h]);
    }

    /// <summary>
    /// Scores the new h, folds it into the online softmax (a, m, s) and evaluates both heads on [a/s ; h] in one
    /// vector pass (the context itself is never stored).
    /// </summary>
    private StepOutput FinishStep(Span<float> attention, Span<float> state)
    {
        int h = _h;
        Activations.Tanh(attention, attention);
        float score = TensorPrimitives.Dot(attention, (ReadOnlySpan<float>)AttentionVector);

        float max = state[3 * h];
        float sum = state[3 * h + 1];
        float newMax = MathF.Max(max, score);
        float oldScale = MathF.Exp(max - newMax);
        float newScale = MathF.Exp(score - newMax);
        float newSum = sum * oldScale + newScale;
        float inverseSum = 1f / newSum;
        state[3 * h] = newMax;
        state[3 * h + 1] = newSum;

        ReadOnlySpan<float> buy = BuyHeadWeights;
        ReadOnlySpan<float> exit = ExitHeadWeights;
        ReadOnlySpan<float> hidden = state[..h];
        Span<float> accumulated = state.Slice(2 * h, h);
        float buyLogit = 0f, exitLogit = 0f;
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> buySum = Vector256<float>.Zero, exitSum = Vector256<float>.Zero;
            Vector256<float> oldScales = Vector256.Create(oldScale), newScales = Vector256.Create(newScale), inverse = Vector256.Create(inverseSum);
            ref float hRef = ref MemoryMarshal.GetReference(hidden);
            ref float aRef = ref MemoryMarshal.GetReference(accumulated);
            ref float buyRef = ref MemoryMarshal.GetReference(buy);
            ref float exitRef = ref MemoryMarshal.GetReference(exit);
            for (; j + 8 <= h; j += 8)
            {
                nuint at = (nuint)j, atH = (nuint)(j + h);
                Vector256<float> hv = Vector256.LoadUnsafe(ref hRef, at);
                Vector256<float> av = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref aRef, at), oldScales, hv * newScales);
                av.StoreUnsafe(ref aRef, at);
                Vector256<float> context = av * inverse;
                buySum = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref buyRef, at), context, buySum);
                buySum = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref buyRef, atH), hv, buySum);
                exitSum = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref exitRef, at), context, exitSum);
                exitSum = Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref exitRef, atH), hv, exitSum);
            }

            buyLogit = Vector256.Sum(buySum);
            exitLogit = Vector256.Sum(exitSum);
        }

        for (; j < h; j++)
        {
            float hv = hidden[j];
            float av = accumulated[j] = MathF.FusedMultiplyAdd(accumulated[j], oldScale, hv * newScale);
            float context = av * inverseSum;
            buyLogit += buy[j] * context + buy[h + j] * hv;
            exitLogit += exit[j] * context + exit[h + j] * hv;
        }

        return new StepOutput(buyLogit + BuyHeadBias, exitLogit + ExitHeadBias, score);
    }

    /// <summary>Index of the first NaN or infinity in <paramref name="values"/>, or −1.</summary>
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
                if (!Vector256.EqualsAll(v - v, Vector256<float>.Zero))
                {
                    break;
                }
            }
        }

        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private void CheckState(Span<float> state, string name)
    {
        if (state.Length != StateSize)
        {
            throw new ArgumentException(
                $"Expected a state of StateSize = 3 × HiddenSize + 2 = {StateSize} floats, but got {state.Length}.", name);
        }
    }

    private static void CheckLength(int actual, long expected, string name, string what)
    {
        if (actual != expected)
        {
            ThrowLength(actual, expected, name, what);
        }
    }

    private static void ThrowLength(int actual, long expected, string name, string what) =>
        throw new ArgumentException($"Expected {name} to hold {what} = {expected} floats, but got {actual}.", name);

    private Span<float> Block(ParameterBlock block) => Parameters.AsSpan(block.Offset, block.Length);

    private static Span<float> ThreadScratch(int length)
    {
        float[]? scratch = t_scratch;
        if (scratch is null || scratch.Length < length)
        {
            t_scratch = scratch = new float[length];
        }

        return scratch.AsSpan(0, length);
    }

    private static float GlorotLimit(int fanIn, int fanOut) => MathF.Sqrt(6f / (fanIn + fanOut));

    private static void Fill(Span<float> values, float limit, ref SplitMix64 rng)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = rng.NextSymmetric(limit);
        }
    }
}
