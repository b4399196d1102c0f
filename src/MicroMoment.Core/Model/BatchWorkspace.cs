namespace MicroMoment.Model;

/// <summary>
/// Scratch memory and helper threads for <see cref="AttentionLstm.StepBatch"/>. Build one per caller (a workspace
/// serves one StepBatch call at a time) and reuse it: after the first parallel call it allocates nothing.
/// Batches of at least <see cref="ParallelThreshold"/> rows are split into up to <see cref="DegreeOfParallelism"/>
/// row blocks, one run by the caller and the rest by helper threads the workspace starts on first use. Dispose
/// the workspace to stop those threads (an abandoned one stops them when it is finalised).
/// </summary>
public sealed unsafe class BatchWorkspace : IDisposable
{
    /// <summary>Default minimum batch size for splitting rows across cores.</summary>
    public const int DefaultParallelThreshold = 64;

    private readonly RowBlockScheduler _scheduler = new();
    private int _degreeOfParallelism = Math.Max(1, Environment.ProcessorCount);
    private int _parallelThreshold = DefaultParallelThreshold;
    private int _busy;
    private bool _disposed;

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
    }

    /// <summary>Stops the helper threads of a workspace that was not disposed.</summary>
    ~BatchWorkspace() => _scheduler.Stop();

    /// <summary>Shape of the models this workspace serves.</summary>
    public AttentionLstmShape Shape { get; }

    /// <summary>Largest batch (rows) this workspace can hold.</summary>
    public int MaxBatch { get; }

    /// <summary>Most row blocks processed concurrently, the caller included (default: processor count).</summary>
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

    /// <summary>Stops the helper threads; the workspace cannot be used afterwards.</summary>
    public void Dispose()
    {
        _disposed = true;
        _scheduler.Stop();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs all rows; the pointers stay pinned by the caller until this returns.</summary>
    internal void Run(AttentionLstm model, float* inputs, float* states, float* buy, float* exit, float* scores, int rows)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
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
            }
            else
            {
                _scheduler.Run(this, model, inputs, states, buy, exit, scores, rows, blocks);
            }
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }
}
