namespace MicroMoment.Model;

/// <summary>
/// Scratch memory and the row-block scheduler for <see cref="AttentionLstm.StepBatch"/>. Build one per caller
/// (a workspace serves one StepBatch call at a time) and reuse it: after the first calls it allocates nothing.
/// Batches of at least <see cref="ParallelThreshold"/> rows are split into row blocks processed by the calling
/// thread and thread-pool helpers; blocks are claimed atomically, so a busy pool only means the caller does more
/// of the work itself, and every row's arithmetic is the same whichever thread runs it.
/// </summary>
public sealed unsafe class BatchWorkspace
{
    /// <summary>Default minimum batch size for splitting rows across cores.</summary>
    public const int DefaultParallelThreshold = 64;

    private const int Closed = int.MaxValue / 2;

    private readonly ManualResetEventSlim _done = new(initialState: false, spinCount: 64);
    private readonly HelperItem _helper;
    private int _degreeOfParallelism = Math.Max(1, Environment.ProcessorCount);
    private int _parallelThreshold = DefaultParallelThreshold;
    private int _busy;

    private AttentionLstm? _model;
    private float* _inputs;
    private float* _states;
    private float* _buy;
    private float* _exit;
    private float* _scores;
    private int _rows;
    private int _blocks;
    private int _nextBlock = Closed;
    private int _pending;
    private Exception? _helperError;

    /// <summary>Creates scratch for batches of up to <paramref name="maxBatch"/> rows of a model with <paramref name="shape"/>.</summary>
    public BatchWorkspace(AttentionLstmShape shape, int maxBatch)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (maxBatch <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBatch), maxBatch, "Maximum batch size must be at least 1.");
        }

        Shape = shape;
        MaxBatch = maxBatch;
        Gates = new float[checked(maxBatch * shape.GateSize)];
        Attention = new float[checked(maxBatch * shape.AttentionSize)];
        Context = new float[checked(maxBatch * shape.HiddenSize)];
        _helper = new HelperItem(this);
    }

    /// <summary>Shape of the models this workspace serves.</summary>
    public AttentionLstmShape Shape { get; }

    /// <summary>Largest batch (rows) this workspace can hold.</summary>
    public int MaxBatch { get; }

    /// <summary>Most row blocks processed concurrently (default: processor count).</summary>
    public int DegreeOfParallelism
    {
        get => _degreeOfParallelism;
        set => _degreeOfParallelism = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(DegreeOfParallelism), value, "Degree of parallelism must be at least 1.");
    }

    /// <summary>Batches with fewer rows run on the calling thread only; each parallel block gets at least half this many rows.</summary>
    public int ParallelThreshold
    {
        get => _parallelThreshold;
        set => _parallelThreshold = value >= 2
            ? value
            : throw new ArgumentOutOfRangeException(nameof(ParallelThreshold), value, "Parallel threshold must be at least 2 rows.");
    }

    /// <summary>Pre-activation gates, MaxBatch × 4H.</summary>
    internal float[] Gates { get; }

    /// <summary>Attention projection, MaxBatch × A.</summary>
    internal float[] Attention { get; }

    /// <summary>Attention contexts, MaxBatch × H.</summary>
    internal float[] Context { get; }

    /// <summary>Runs all rows; the pointers stay pinned by the caller until this returns.</summary>
    internal void Run(AttentionLstm model, float* inputs, float* states, float* buy, float* exit, float* scores, int rows)
    {
        if (Interlocked.Exchange(ref _busy, 1) != 0)
        {
            throw new InvalidOperationException("This BatchWorkspace is already used by another StepBatch call; give each concurrent caller its own workspace.");
        }

        try
        {
            int blocks = rows >= _parallelThreshold ? Math.Min(_degreeOfParallelism, rows / Math.Max(1, _parallelThreshold / 2)) : 1;
            if (blocks <= 1)
            {
                model.StepRows(inputs, states, buy, exit, scores, 0, rows, this);
                return;
            }

            _model = model;
            _inputs = inputs;
            _states = states;
            _buy = buy;
            _exit = exit;
            _scores = scores;
            _rows = rows;
            _blocks = blocks;
            _helperError = null;
            _done.Reset();
            Volatile.Write(ref _pending, blocks);
            Volatile.Write(ref _nextBlock, 0);
            for (int i = 1; i < blocks; i++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(_helper, preferLocal: false);
            }

            try
            {
                WorkOnBlocks();
            }
            finally
            {
                // Helpers may still be inside a block that reads the caller's pinned memory: wait for them all.
                if (Volatile.Read(ref _pending) != 0)
                {
                    _done.Wait();
                }

                Volatile.Write(ref _nextBlock, Closed);
                _model = null;
            }

            if (_helperError is { } error)
            {
                throw new InvalidOperationException("A row block of StepBatch failed.", error);
            }
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Claims and runs blocks until none are left.</summary>
    private void WorkOnBlocks()
    {
        while (true)
        {
            int block = Interlocked.Increment(ref _nextBlock) - 1;
            if (block >= _blocks)
            {
                return;
            }

            try
            {
                int first = (int)((long)_rows * block / _blocks);
                int end = (int)((long)_rows * (block + 1) / _blocks);
                _model!.StepRows(_inputs, _states, _buy, _exit, _scores, first, end, this);
            }
            catch (Exception ex)
            {
                // Recorded before the block counts as done, so the caller sees it once it stops waiting.
                _helperError ??= ex;
            }
            finally
            {
                if (Interlocked.Decrement(ref _pending) == 0)
                {
                    _done.Set();
                }
            }
        }
    }

    /// <summary>Thread-pool entry of a helper; a stale run (queued for an earlier call) finds no block and returns.</summary>
    private sealed class HelperItem(BatchWorkspace owner) : IThreadPoolWorkItem
    {
        public void Execute() => owner.WorkOnBlocks();
    }
}
