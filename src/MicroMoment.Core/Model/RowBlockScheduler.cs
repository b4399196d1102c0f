namespace MicroMoment.Model;

/// <summary>
/// Runs the row blocks of one <see cref="AttentionLstm.StepBatch"/> call on the calling thread plus dedicated
/// helper threads, allocation-free after the helpers exist. Blocks are claimed with an atomic counter, so a
/// helper that wakes late simply finds nothing left (the caller then did its share) and every row's arithmetic
/// is the same whichever thread runs it. The helpers reference only this object, never the owning workspace,
/// so an abandoned workspace can still be finalised, which stops them.
/// </summary>
internal sealed unsafe class RowBlockScheduler
{
    private const int Closed = int.MaxValue / 2;
    private const int MaxHelpers = 63;

    private readonly SemaphoreSlim _wake = new(0);
    private readonly SemaphoreSlim _finished = new(0);
    private readonly List<Thread> _helpers = [];
    private volatile bool _stopped;

    private BatchWorkspace? _workspace;
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
    private Exception? _error;

    /// <summary>Processes <paramref name="rows"/> rows in <paramref name="blocks"/> blocks; returns when all are done.</summary>
    public void Run(BatchWorkspace workspace, AttentionLstm model, float* inputs, float* states, float* buy, float* exit, float* scores, int rows, int blocks)
    {
        ObjectDisposedException.ThrowIf(_stopped, this);
        blocks = Math.Min(blocks, MaxHelpers + 1);
        EnsureHelpers(blocks - 1);
        _workspace = workspace;
        _model = model;
        _inputs = inputs;
        _states = states;
        _buy = buy;
        _exit = exit;
        _scores = scores;
        _rows = rows;
        _blocks = blocks;
        _error = null;
        Volatile.Write(ref _pending, blocks);
        Volatile.Write(ref _nextBlock, 0);
        _wake.Release(blocks - 1);
        try
        {
            WorkOnBlocks();
        }
        finally
        {
            // Helpers may still be inside a block that reads the caller's pinned memory: wait for all of them.
            // Whoever finishes the last block releases _finished exactly once per call.
            _finished.Wait();

            Volatile.Write(ref _nextBlock, Closed);
            _workspace = null;
            _model = null;
        }

        if (_error is { } error)
        {
            _error = null;
            throw new InvalidOperationException("A row block of StepBatch failed.", error);
        }
    }

    /// <summary>Lets the helper threads exit.</summary>
    public void Stop()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        lock (_helpers)
        {
            _wake.Release(Math.Max(1, _helpers.Count));
        }
    }

    private void EnsureHelpers(int count)
    {
        lock (_helpers)
        {
            while (_helpers.Count < count)
            {
                var thread = new Thread(HelperLoop)
                {
                    IsBackground = true,
                    Name = $"MicroMoment StepBatch helper {_helpers.Count + 1}",
                };
                thread.Start();
                _helpers.Add(thread);
            }
        }
    }

    private void HelperLoop()
    {
        while (true)
        {
            _wake.Wait();
            if (_stopped)
            {
                return;
            }

            WorkOnBlocks();
        }
    }

    /// <summary>Claims and runs blocks until none are left; failures are recorded before the block counts as done.</summary>
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
                _model!.StepRows(_inputs, _states, _buy, _exit, _scores, first, end, _workspace!);
            }
            catch (Exception ex)
            {
                _error ??= ex;
            }
            finally
            {
                if (Interlocked.Decrement(ref _pending) == 0)
                {
                    _finished.Release();
                }
            }
        }
    }
}
