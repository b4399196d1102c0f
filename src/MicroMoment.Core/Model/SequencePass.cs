using System.Numerics.Tensors;

namespace MicroMoment.Model;

/// <summary>
/// Whole-sequence forward and backward pass of an <see cref="AttentionLstm"/> (all prefixes at once), with
/// every intermediate kept in preallocated buffers sized for <see cref="Capacity"/> events.
/// <para>
/// Attention uses one shift for the whole sequence: w_i = exp(e_i − M) with M = max_i e_i, S_t = Σ_{i≤t} w_i and
/// ctx_t = Σ_{i≤t} w_i h_i / S_t, accumulated in double. Given g_t = ∂L/∂ctx_t, the backward pass uses
/// ∂L/∂h_i (through ctx) = w_i Σ_{t≥i} g_t / S_t and ∂L/∂e_i = w_i (h_i · Σ_{t≥i} g_t / S_t − Σ_{t≥i} g_t·ctx_t / S_t),
/// both reverse cumulative sums, so attention costs O(T·H) instead of O(T²·H).
/// </para>
/// </summary>
internal sealed class SequencePass
{
    [ThreadStatic]
    private static SequencePass? t_pass;

    private readonly int _d;
    private readonly int _h;
    private readonly int _a;
    private readonly int _g;

    // Forward intermediates.
    private readonly float[] _gates;       // T × 4H activated [i f g o]
    private readonly float[] _cells;       // T × H
    private readonly float[] _cellTanh;    // T × H
    private readonly float[] _hidden;      // T × H
    private readonly float[] _attention;   // T × A, tanh(Wa h + ba)
    private readonly float[] _scores;      // T
    private readonly double[] _weights;    // T, exp(e − M)
    private readonly double[] _cumulative; // T, S_t
    private readonly float[] _context;     // T × H
    private readonly float[] _buyLogits;   // T
    private readonly float[] _exitLogits;  // T
    private readonly double[] _numerator;  // H

    // Backward intermediates.
    private readonly float[] _dHidden;     // T × H
    private readonly float[] _dContext;    // T × H
    private readonly float[] _dAttention;  // T × A
    private readonly float[] _dGates;      // T × 4H
    private readonly double[] _reverse;    // H
    private readonly float[] _dNextHidden; // H
    private readonly float[] _dNextCell;   // H

    /// <summary>Buffers for sequences of up to <paramref name="capacity"/> events.</summary>
    public SequencePass(AttentionLstmShape shape, int capacity)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Shape = shape;
        Capacity = capacity;
        _d = shape.InputSize;
        _h = shape.HiddenSize;
        _a = shape.AttentionSize;
        _g = shape.GateSize;
        int t = capacity;
        _gates = new float[checked(t * _g)];
        _cells = new float[checked(t * _h)];
        _cellTanh = new float[t * _h];
        _hidden = new float[t * _h];
        _attention = new float[checked(t * _a)];
        _scores = new float[t];
        _weights = new double[t];
        _cumulative = new double[t];
        _context = new float[t * _h];
        _buyLogits = new float[t];
        _exitLogits = new float[t];
        _numerator = new double[_h];
        _dHidden = new float[t * _h];
        _dContext = new float[t * _h];
        _dAttention = new float[t * _a];
        _dGates = new float[t * _g];
        _reverse = new double[_h];
        _dNextHidden = new float[_h];
        _dNextCell = new float[_h];
    }

    /// <summary>Shape this pass was sized for.</summary>
    public AttentionLstmShape Shape { get; }

    /// <summary>Longest sequence the buffers hold.</summary>
    public int Capacity { get; }

    /// <summary>Per-prefix buy logits of the last forward pass.</summary>
    public ReadOnlySpan<float> BuyLogits => _buyLogits;

    /// <summary>Per-prefix exit logits of the last forward pass.</summary>
    public ReadOnlySpan<float> ExitLogits => _exitLogits;

    /// <summary>w_t = exp(e_t − M) of the last forward pass.</summary>
    public ReadOnlySpan<double> Weights => _weights;

    /// <summary>S_t = Σ_{i≤t} w_i of the last forward pass.</summary>
    public ReadOnlySpan<double> CumulativeWeights => _cumulative;

    /// <summary>A pass cached on the calling thread that fits <paramref name="shape"/> and <paramref name="length"/>.</summary>
    public static SequencePass ForThread(AttentionLstmShape shape, int length)
    {
        SequencePass? pass = t_pass;
        if (pass is null || pass.Shape != shape || pass.Capacity < length)
        {
            int capacity = pass is not null && pass.Shape == shape ? Math.Max(length, pass.Capacity * 2) : length;
            t_pass = pass = new SequencePass(shape, capacity);
        }

        return pass;
    }

    /// <summary>Forward pass over <paramref name="length"/> events (inputs: length × D row-major).</summary>
    public void Forward(AttentionLstm model, ReadOnlySpan<float> inputs, int length)
    {
        int d = _d, h = _h, a = _a, g = _g, t = length;
        if (length > Capacity)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"Sequence length exceeds the pass capacity of {Capacity} events.");
        }

        ReadOnlySpan<float> inputMajor = model.InputMajorWeights;
        Span<float> gates = _gates.AsSpan(0, t * g);

        // Input part of every step's gates at once, then the recurrent part step by step.
        GemmKernel.Multiply(t, g, d, inputs, d, 1, inputMajor, g, gates, g, accumulate: false, bias: model.GateBias);
        ReadOnlySpan<float> recurrent = inputMajor[(d * g)..];
        for (int step = 0; step < t; step++)
        {
            Span<float> row = gates.Slice(step * g, g);
            if (step > 0)
            {
                GemmKernel.Multiply(1, g, h, _hidden.AsSpan((step - 1) * h, h), 0, 1, recurrent, g, row, g, accumulate: true);
            }

            Activations.LstmPointwise(
                row,
                step > 0 ? _cells.AsSpan((step - 1) * h, h) : default,
                _cells.AsSpan(step * h, h),
                _cellTanh.AsSpan(step * h, h),
                _hidden.AsSpan(step * h, h));
        }

        // Attention scores for all steps.
        Span<float> attention = _attention.AsSpan(0, t * a);
        GemmKernel.Multiply(t, a, h, _hidden, h, 1, model.AttentionProjectionTransposed, a, attention, a, accumulate: false, bias: model.AttentionBias);
        Activations.Tanh(attention, attention);
        ReadOnlySpan<float> v = model.AttentionVector;
        float max = float.NegativeInfinity;
        for (int step = 0; step < t; step++)
        {
            float score = TensorPrimitives.Dot(attention.Slice(step * a, a), v);
            _scores[step] = score;
            max = MathF.Max(max, score);
        }

        // Causal contexts with one global shift, sums in double.
        Array.Clear(_numerator);
        double sum = 0;
        for (int step = 0; step < t; step++)
        {
            double w = Math.Exp((double)_scores[step] - max);
            sum += w;
            _weights[step] = w;
            _cumulative[step] = sum;
            ReadOnlySpan<float> hidden = _hidden.AsSpan(step * h, h);
            Span<float> context = _context.AsSpan(step * h, h);
            double inverse = 1.0 / sum;
            for (int j = 0; j < h; j++)
            {
                _numerator[j] += w * hidden[j];
                context[j] = (float)(_numerator[j] * inverse);
            }
        }

        // Heads on z_t = [ctx_t ; h_t].
        ReadOnlySpan<float> buy = model.BuyHeadWeights;
        ReadOnlySpan<float> exit = model.ExitHeadWeights;
        float buyBias = model.BuyHeadBias, exitBias = model.ExitHeadBias;
        for (int step = 0; step < t; step++)
        {
            ReadOnlySpan<float> context = _context.AsSpan(step * h, h);
            ReadOnlySpan<float> hidden = _hidden.AsSpan(step * h, h);
            _buyLogits[step] = TensorPrimitives.Dot(buy[..h], context) + TensorPrimitives.Dot(buy[h..], hidden) + buyBias;
            _exitLogits[step] = TensorPrimitives.Dot(exit[..h], context) + TensorPrimitives.Dot(exit[h..], hidden) + exitBias;
        }
    }

    /// <summary>
    /// Backward pass after <see cref="Forward"/> on the same inputs. <paramref name="dBuy"/> and <paramref name="dExit"/>
    /// are ∂L/∂logit per step. Gradients of Wx and Wh are added to <paramref name="inputMajorGradient"/>
    /// ((D + H) × 4H, input-major like the inference cache; see <see cref="FoldInputMajorGradient"/>), all other
    /// blocks to <paramref name="gradient"/> (flat parameter layout).
    /// </summary>
    public void Backward(
        AttentionLstm model,
        ReadOnlySpan<float> inputs,
        int length,
        ReadOnlySpan<float> dBuy,
        ReadOnlySpan<float> dExit,
        Span<float> gradient,
        Span<float> inputMajorGradient)
    {
        int d = _d, h = _h, a = _a, g = _g, t = length;
        AttentionLstmLayout layout = model.Layout;
        Span<float> gBuy = gradient.Slice(layout.BuyHeadWeights.Offset, 2 * h);
        Span<float> gExit = gradient.Slice(layout.ExitHeadWeights.Offset, 2 * h);
        ReadOnlySpan<float> wBuy = model.BuyHeadWeights;
        ReadOnlySpan<float> wExit = model.ExitHeadWeights;

        // Heads: z_t = [ctx_t ; h_t].
        for (int step = 0; step < t; step++)
        {
            float db = dBuy[step], de = dExit[step];
            ReadOnlySpan<float> context = _context.AsSpan(step * h, h);
            ReadOnlySpan<float> hidden = _hidden.AsSpan(step * h, h);
            Span<float> dContext = _dContext.AsSpan(step * h, h);
            Span<float> dHidden = _dHidden.AsSpan(step * h, h);
            if (db != 0f)
            {
                TensorPrimitives.MultiplyAdd(context, db, gBuy[..h], gBuy[..h]);
                TensorPrimitives.MultiplyAdd(hidden, db, gBuy[h..], gBuy[h..]);
                gradient[layout.BuyHeadBias.Offset] += db;
            }

            if (de != 0f)
            {
                TensorPrimitives.MultiplyAdd(context, de, gExit[..h], gExit[..h]);
                TensorPrimitives.MultiplyAdd(hidden, de, gExit[h..], gExit[h..]);
                gradient[layout.ExitHeadBias.Offset] += de;
            }

            TensorPrimitives.Multiply(wBuy[..h], db, dContext);
            TensorPrimitives.MultiplyAdd(wExit[..h], de, dContext, dContext);
            TensorPrimitives.Multiply(wBuy[h..], db, dHidden);
            TensorPrimitives.MultiplyAdd(wExit[h..], de, dHidden, dHidden);
        }

        // Attention: reverse cumulative sums R_i = Σ_{t≥i} g_t / S_t and q_i = Σ_{t≥i} g_t·ctx_t / S_t.
        Array.Clear(_reverse);
        double q = 0;
        ReadOnlySpan<float> v = model.AttentionVector;
        Span<float> gV = gradient.Slice(layout.AttentionVector.Offset, a);
        Span<float> gBa = gradient.Slice(layout.AttentionBias.Offset, a);
        for (int step = t - 1; step >= 0; step--)
        {
            double inverse = 1.0 / _cumulative[step];
            ReadOnlySpan<float> dContext = _dContext.AsSpan(step * h, h);
            ReadOnlySpan<float> context = _context.AsSpan(step * h, h);
            ReadOnlySpan<float> hidden = _hidden.AsSpan(step * h, h);
            Span<float> dHidden = _dHidden.AsSpan(step * h, h);
            double w = _weights[step];
            double hDotR = 0, gDotCtx = 0;
            for (int j = 0; j < h; j++)
            {
                gDotCtx += (double)dContext[j] * context[j];
            }

            q += gDotCtx * inverse;
            for (int j = 0; j < h; j++)
            {
                double r = _reverse[j] + dContext[j] * inverse;
                _reverse[j] = r;
                hDotR += hidden[j] * r;
                dHidden[j] += (float)(w * r);
            }

            float dScore = (float)(w * (hDotR - q));

            // e = v · u, u = tanh(Wa h + ba): ∂/∂pre = dScore · v ⊙ (1 − u²).
            ReadOnlySpan<float> u = _attention.AsSpan(step * a, a);
            Span<float> dPre = _dAttention.AsSpan(step * a, a);
            TensorPrimitives.MultiplyAdd(u, dScore, gV, gV);
            for (int k = 0; k < a; k++)
            {
                dPre[k] = dScore * v[k] * (1f - u[k] * u[k]);
            }

            TensorPrimitives.Add(gBa, dPre, gBa);
        }

        // ∂Wa (A × H) += dPreᵀ · H ; ∂H (T × H) += dPre · Wa.
        ReadOnlySpan<float> dAttention = _dAttention.AsSpan(0, t * a);
        GemmKernel.Multiply(a, h, t, dAttention, 1, a, _hidden, h,
            gradient.Slice(layout.AttentionProjection.Offset, a * h), h, accumulate: true);
        GemmKernel.Multiply(t, h, a, dAttention, a, 1, model.AttentionProjection, h, _dHidden, h, accumulate: true);

        // Backpropagation through time.
        Span<float> dNextHidden = _dNextHidden;
        Span<float> dNextCell = _dNextCell;
        dNextHidden.Clear();
        dNextCell.Clear();
        ReadOnlySpan<float> recurrentWeights = model.RecurrentWeights;
        Span<float> gBias = gradient.Slice(layout.GateBias.Offset, g);
        for (int step = t - 1; step >= 0; step--)
        {
            ReadOnlySpan<float> gate = _gates.AsSpan(step * g, g);
            ReadOnlySpan<float> cellTanh = _cellTanh.AsSpan(step * h, h);
            ReadOnlySpan<float> dHidden = _dHidden.AsSpan(step * h, h);
            ReadOnlySpan<float> previousCell = step > 0 ? _cells.AsSpan((step - 1) * h, h) : default;
            Span<float> dGate = _dGates.AsSpan(step * g, g);
            for (int j = 0; j < h; j++)
            {
                float i = gate[j], f = gate[h + j], c = gate[2 * h + j], o = gate[3 * h + j];
                float tc = cellTanh[j];
                float dh = dHidden[j] + dNextHidden[j];
                float dc = dh * o * (1f - tc * tc) + dNextCell[j];
                dGate[j] = dc * c * i * (1f - i);
                dGate[h + j] = step > 0 ? dc * previousCell[j] * f * (1f - f) : 0f;
                dGate[2 * h + j] = dc * i * (1f - c * c);
                dGate[3 * h + j] = dh * tc * o * (1f - o);
                dNextCell[j] = dc * f;
            }

            TensorPrimitives.Add(gBias, dGate, gBias);
            if (step > 0)
            {
                // ∂h_{t-1} = Whᵀ · ∂gates_t, with Wh stored gate-major (4H × H).
                GemmKernel.Multiply(1, h, g, dGate, 0, 1, recurrentWeights, h, dNextHidden, h, accumulate: false);
            }
        }

        // ∂[Wx | Wh] in input-major form: rows 0..D-1 += Xᵀ · ∂G, rows D.. += H_{t-1}ᵀ · ∂G.
        ReadOnlySpan<float> dGates = _dGates.AsSpan(0, t * g);
        GemmKernel.Multiply(d, g, t, inputs, 1, d, dGates, g, inputMajorGradient, g, accumulate: true);
        if (t > 1)
        {
            GemmKernel.Multiply(h, g, t - 1, _hidden, 1, h, dGates[g..], g, inputMajorGradient[(d * g)..], g, accumulate: true);
        }
    }

    /// <summary>Adds an input-major [Wx | Wh] gradient ((D + H) × 4H) into the flat gradient's Wx and Wh blocks and clears it.</summary>
    public static void FoldInputMajorGradient(AttentionLstmShape shape, Span<float> inputMajorGradient, Span<float> gradient)
    {
        var layout = new AttentionLstmLayout(shape);
        int d = shape.InputSize, h = shape.HiddenSize, g = shape.GateSize;
        Span<float> wx = gradient.Slice(layout.InputWeights.Offset, layout.InputWeights.Length);
        Span<float> wh = gradient.Slice(layout.RecurrentWeights.Offset, layout.RecurrentWeights.Length);
        for (int row = 0; row < d + h; row++)
        {
            ReadOnlySpan<float> source = inputMajorGradient.Slice(row * g, g);
            if (row < d)
            {
                for (int r = 0; r < g; r++)
                {
                    wx[r * d + row] += source[r];
                }
            }
            else
            {
                int j = row - d;
                for (int r = 0; r < g; r++)
                {
                    wh[r * h + j] += source[r];
                }
            }
        }

        inputMajorGradient.Clear();
    }
}
