namespace MicroMoment.Model;

/// <summary>
/// Loss and gradient over a set of sequences with deterministic parallelism: the sequences are split into
/// <see cref="ShardCount"/> fixed contiguous shards, each shard accumulates into its own preallocated gradient
/// buffer in sequence order, and the shards are summed in index order. Which worker thread runs a shard never
/// changes the arithmetic, so results are bit-identical for any thread timing or degree of parallelism.
/// </summary>
internal sealed class TrainingEngine
{
    /// <summary>Fixed number of gradient shards per minibatch.</summary>
    public const int ShardCount = 16;

    private readonly AttentionLstm _model;
    private readonly int _maxLength;
    private readonly int _workers;
    private readonly int _inputMajorLength;
    private readonly SequencePass[] _passes;
    private readonly float[][] _dBuy;
    private readonly float[][] _dExit;
    private readonly float[][] _shardGradients;
    private readonly float[][] _shardInputMajor;
    private readonly double[] _shardBuyLoss = new double[ShardCount];
    private readonly double[] _shardExitLoss = new double[ShardCount];

    // Current job (set by Run, read by the shard workers).
    private IReadOnlyList<SequenceExample> _data = [];
    private int[] _indices = [];
    private int _start;
    private int _count;
    private double _buyWeight;
    private double _exitWeight;
    private double _buyScale;
    private double _exitScale;
    private bool _backward;

    /// <summary>
    /// Buffers for <paramref name="model"/>, sequences cut to <paramref name="maxLength"/> and up to
    /// <paramref name="workers"/> threads; the per-shard gradient buffers exist only when <paramref name="withGradients"/>.
    /// </summary>
    public TrainingEngine(AttentionLstm model, int maxLength, int workers, bool withGradients)
    {
        _model = model;
        _maxLength = maxLength;
        _workers = Math.Clamp(workers, 1, ShardCount);
        AttentionLstmShape shape = model.Shape;
        _inputMajorLength = (shape.InputSize + shape.HiddenSize) * shape.GateSize;
        _passes = new SequencePass[_workers];
        _dBuy = new float[_workers][];
        _dExit = new float[_workers][];
        for (int w = 0; w < _workers; w++)
        {
            _passes[w] = new SequencePass(shape, maxLength);
            _dBuy[w] = new float[maxLength];
            _dExit[w] = new float[maxLength];
        }

        _shardGradients = new float[ShardCount][];
        _shardInputMajor = new float[ShardCount][];
        for (int shard = 0; shard < ShardCount && withGradients; shard++)
        {
            _shardGradients[shard] = new float[shape.ParameterCount];
            _shardInputMajor[shard] = new float[_inputMajorLength];
        }

        Gradient = withGradients ? new float[shape.ParameterCount] : [];
    }

    /// <summary>Gradient of the last <see cref="Run"/> with backward = true (sum over shards).</summary>
    public float[] Gradient { get; }

    /// <summary>Events of <paramref name="example"/> used for training (after truncation).</summary>
    public int UsedLength(SequenceExample example) => Math.Min(example.Length, _maxLength);

    /// <summary>
    /// Forward (and optionally backward) over <c>data[indices[start..start+count]]</c>. The per-event logit
    /// gradients are scaled by <paramref name="buyScale"/> / <paramref name="exitScale"/> (1 / valid targets of the
    /// minibatch, times the exit loss weight), so <see cref="Gradient"/> is the gradient of the minibatch loss.
    /// Returns the unscaled sums of the weighted cross-entropy of both heads.
    /// </summary>
    public (double BuyLossSum, double ExitLossSum) Run(
        IReadOnlyList<SequenceExample> data,
        int[] indices,
        int start,
        int count,
        double buyWeight,
        double exitWeight,
        double buyScale,
        double exitScale,
        bool backward)
    {
        if (backward && Gradient.Length == 0)
        {
            throw new InvalidOperationException("This engine was built without gradient buffers.");
        }

        _data = data;
        _indices = indices;
        _start = start;
        _count = count;
        _buyWeight = buyWeight;
        _exitWeight = exitWeight;
        _buyScale = buyScale;
        _exitScale = exitScale;
        _backward = backward;

        int workers = Math.Min(_workers, Math.Max(1, count));
        if (workers == 1)
        {
            for (int shard = 0; shard < ShardCount; shard++)
            {
                RunShard(0, shard);
            }
        }
        else
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, worker =>
            {
                for (int shard = worker; shard < ShardCount; shard += workers)
                {
                    RunShard(worker, shard);
                }
            });
        }

        double buyLoss = 0, exitLoss = 0;
        for (int shard = 0; shard < ShardCount; shard++)
        {
            buyLoss += _shardBuyLoss[shard];
            exitLoss += _shardExitLoss[shard];
        }

        if (backward)
        {
            Array.Clear(Gradient);
            for (int shard = 0; shard < ShardCount; shard++)
            {
                if (ShardSize(shard) > 0)
                {
                    System.Numerics.Tensors.TensorPrimitives.Add(Gradient, _shardGradients[shard], Gradient);
                }
            }
        }

        _data = [];
        return (buyLoss, exitLoss);
    }

    private int ShardSize(int shard) => ShardEnd(shard) - ShardBegin(shard);

    private int ShardBegin(int shard) => (int)((long)_count * shard / ShardCount);

    private int ShardEnd(int shard) => (int)((long)_count * (shard + 1) / ShardCount);

    private void RunShard(int worker, int shard)
    {
        int begin = ShardBegin(shard), end = ShardEnd(shard);
        double buyLoss = 0, exitLoss = 0;
        float[]? gradient = null, inputMajor = null;
        if (_backward && end > begin)
        {
            gradient = _shardGradients[shard];
            inputMajor = _shardInputMajor[shard];
            Array.Clear(gradient);
        }

        SequencePass pass = _passes[worker];
        float[] dBuy = _dBuy[worker], dExit = _dExit[worker];
        int d = _model.Shape.InputSize;
        for (int i = begin; i < end; i++)
        {
            SequenceExample example = _data[_indices[_start + i]];
            int length = UsedLength(example);
            ReadOnlySpan<float> inputs = example.Inputs.AsSpan(0, length * d);
            pass.Forward(_model, inputs, length);
            buyLoss += HeadLoss(pass.BuyLogits[..length], example.BuyTargets.AsSpan(0, length), _buyWeight, _buyScale, dBuy);
            exitLoss += HeadLoss(pass.ExitLogits[..length], example.ExitTargets.AsSpan(0, length), _exitWeight, _exitScale, dExit);
            if (gradient is not null)
            {
                pass.Backward(_model, inputs, length, dBuy.AsSpan(0, length), dExit.AsSpan(0, length), gradient, inputMajor!);
            }
        }

        if (gradient is not null)
        {
            SequencePass.FoldInputMajorGradient(_model.Shape, inputMajor!, gradient);
        }

        _shardBuyLoss[shard] = buyLoss;
        _shardExitLoss[shard] = exitLoss;
    }

    /// <summary>
    /// Σ over valid targets of the positive-weighted binary cross-entropy with logits,
    /// w·y·softplus(−z) + (1 − y)·softplus(z); writes scale · ∂/∂z (0 where the target is NaN) into <paramref name="dLogits"/>.
    /// </summary>
    internal static double HeadLoss(ReadOnlySpan<float> logits, ReadOnlySpan<float> targets, double positiveWeight, double scale, Span<float> dLogits)
    {
        double loss = 0;
        for (int t = 0; t < logits.Length; t++)
        {
            float y = targets[t];
            if (float.IsNaN(y))
            {
                dLogits[t] = 0f;
                continue;
            }

            double z = logits[t];
            loss += positiveWeight * y * Softplus(-z) + (1 - y) * Softplus(z);
            double p = 1.0 / (1.0 + Math.Exp(-z));
            dLogits[t] = (float)(scale * (positiveWeight * y * (p - 1.0) + (1 - y) * p));
        }

        return loss;
    }

    private static double Softplus(double x) => Math.Max(x, 0) + double.LogP1(Math.Exp(-Math.Abs(x)));
}
