using System.Collections.Concurrent;
using System.Diagnostics;
using MicroMoment.Model;

namespace MicroMoment.Silo.Execution;

/// <summary>
/// The silo's one model executor: user grains hand it their step requests and await them; it gathers the requests
/// of many grains into one batch and runs them as one call of its <see cref="IStepBackend"/> (the dynamic batching
/// GPU inference servers use). A batch runs when it is full or when the queue goes quiet (see
/// <see cref="ModelExecutorOptions.QuietPeriod"/>); requests that arrive while a batch runs form the next, so the
/// batch size follows the load. The flush loop runs on the thread pool only while there is work.
/// </summary>
/// <remarks>
/// A request's arrays are read and written only between its enqueue and its completion, while the grain that owns
/// it awaits (grains are not reentrant), so nothing else touches them. Scores equal <see cref="Scoring.SessionScorer"/>
/// up to float rounding of the batched product.
/// </remarks>
public sealed class ModelExecutor : IThreadPoolWorkItem, IDisposable
{
    private readonly IStepBackend _backend;
    private readonly bool _ownsMeter;
    private readonly ConcurrentQueue<StepRequest> _queue = new();
    private readonly StepRequest[] _batch;
    private readonly float[] _inputs;
    private readonly float[] _states;
    private readonly float[] _buy;
    private readonly float[] _exit;
    private readonly float[] _attention;
    private readonly long _quietTicks;
    private readonly int _d;
    private readonly int _s;
    private readonly bool _yieldBeforePartial;
    private readonly Func<IStepBackend>? _perEventBackends;
    private readonly ConcurrentBag<PerEventLane> _lanes = [];
    private int _scheduled;
    private bool _yielded;
    private volatile bool _disposed;
    private long _batches;
    private long _rows;
    private long _stepTicks;
    private long _failures;

    /// <summary>Creates an executor over <paramref name="backend"/> (which it then owns and disposes).</summary>
    /// <param name="backend">The backend that runs the batched steps.</param>
    /// <param name="options">Batching settings (null: defaults).</param>
    /// <param name="meters">Creates the executor's meter (null: an unscoped meter, disposed with the executor).</param>
    /// <param name="perEventBackends">With <see cref="ModelExecutorOptions.PerEvent"/>: creates a backend of batch one for each concurrent caller (the per-event peer).</param>
    public ModelExecutor(IStepBackend backend, ModelExecutorOptions? options = null, System.Diagnostics.Metrics.IMeterFactory? meters = null, Func<IStepBackend>? perEventBackends = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        options ??= new ModelExecutorOptions();
        options.Validate();
        _backend = backend;
        MaxBatch = Math.Min(options.MaxBatch, backend.MaxBatch);
        _d = backend.InputSize;
        _s = backend.StateSize;
        _batch = new StepRequest[MaxBatch];
        _inputs = new float[MaxBatch * _d];
        _states = new float[MaxBatch * _s];
        _buy = new float[MaxBatch];
        _exit = new float[MaxBatch];
        _attention = new float[MaxBatch];
        _quietTicks = (long)(options.QuietPeriod.TotalSeconds * Stopwatch.Frequency);
        _yieldBeforePartial = options.YieldBeforePartialBatch;
        if (options.PerEvent)
        {
            _perEventBackends = perEventBackends ?? throw new ArgumentException("ModelExecutorOptions.PerEvent needs a factory of per-event backends; got none.", nameof(perEventBackends));
        }
        _ownsMeter = meters is null;
        Instruments = new Monitoring.ExecutorInstruments(Monitoring.SiloMeters.Create(meters, Monitoring.SiloMeters.Executor), this);
    }

    /// <summary>The backend's name.</summary>
    public string Backend => _backend.Name;

    /// <summary>Most rows per batch.</summary>
    public int MaxBatch { get; }

    /// <summary>Features per event the requests must carry.</summary>
    public int InputSize => _d;

    /// <summary>State floats per shopper.</summary>
    public int StateSize => _s;

    /// <summary>Batches run so far.</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Rows stepped so far.</summary>
    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>Time spent in the backend so far.</summary>
    public TimeSpan StepTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _stepTicks));

    /// <summary>Batches whose backend call failed (their requests got the exception).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Time of each batch in the backend.</summary>
    internal Monitoring.ExecutorInstruments Instruments { get; }

    /// <summary>Requests waiting for a batch.</summary>
    public int QueueLength => _queue.Count;

    /// <summary>Creates a request sized for this executor's model.</summary>
    public StepRequest CreateRequest() => new(_d, _s);

    /// <summary>
    /// Queues <paramref name="request"/> (its input written, its state set) for the next batch; the task completes
    /// when its row was stepped and its state updated. Allocates nothing.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The executor was disposed.</exception>
    public ValueTask<StepOutput> StepAsync(StepRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_perEventBackends is not null) return new ValueTask<StepOutput>(StepAlone(request));
        var task = request.Begin();
        _queue.Enqueue(request);
        if (Interlocked.Exchange(ref _scheduled, 1) == 0) ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        return task;
    }

    /// <summary>The per-event peer: steps <paramref name="request"/> alone, on this thread, on a backend no other caller holds.</summary>
    private StepOutput StepAlone(StepRequest request)
    {
        if (!_lanes.TryTake(out var lane)) lane = new PerEventLane(_perEventBackends!());
        try
        {
            long start = Stopwatch.GetTimestamp();
            try
            {
                lane.Backend.Step(request.Input, request.State, lane.Buy, lane.Exit, lane.Attention);
            }
            catch
            {
                Interlocked.Increment(ref _failures);
                throw;
            }

            long elapsed = Stopwatch.GetTimestamp() - start;
            Interlocked.Add(ref _stepTicks, elapsed);
            Instruments.RecordStep(elapsed);
            Interlocked.Increment(ref _batches);
            Interlocked.Increment(ref _rows);
            return new StepOutput(lane.Buy[0], lane.Exit[0], lane.Attention[0]);
        }
        finally
        {
            if (_disposed) lane.Backend.Dispose();
            else _lanes.Add(lane);
        }
    }

    /// <summary>Queues a request as <see cref="StepAsync"/> does but leaves running the flush loop to the caller (tests run it inline).</summary>
    internal ValueTask<StepOutput> EnqueueForTest(StepRequest request)
    {
        var task = request.Begin();
        _queue.Enqueue(request);
        Volatile.Write(ref _scheduled, 1);
        return task;
    }

    /// <summary>The flush loop: runs batches while requests are queued, then unschedules itself.</summary>
    void IThreadPoolWorkItem.Execute()
    {
        while (true)
        {
            // Only one loop runs at a time (the _scheduled flag), so _yielded is never touched by two threads at once.
            if (_yieldBeforePartial && !_yielded && !_queue.IsEmpty && _queue.Count < MaxBatch)
            {
                _yielded = true;
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                return;
            }

            _yielded = false;
            int count = Take();
            if (count == 0)
            {
                Volatile.Write(ref _scheduled, 0);
                // A request enqueued after Take saw the queue empty but before the flag dropped found it set and did
                // not schedule: look again, and keep running if it is there and no other loop took over.
                if (_queue.IsEmpty || Interlocked.Exchange(ref _scheduled, 1) == 1) return;
                continue;
            }

            Run(count);
        }
    }

    private int Take()
    {
        int count = 0;
        while (count < MaxBatch && _queue.TryDequeue(out var request)) _batch[count++] = request;
        if (count == 0 || count == MaxBatch || _quietTicks == 0) return count;
        long last = Stopwatch.GetTimestamp();
        var spin = new SpinWait();
        while (count < MaxBatch)
        {
            if (_queue.TryDequeue(out var request))
            {
                _batch[count++] = request;
                last = Stopwatch.GetTimestamp();
                continue;
            }

            if (Stopwatch.GetTimestamp() - last >= _quietTicks) break;
            spin.SpinOnce(sleep1Threshold: -1);
        }

        return count;
    }

    private void Run(int count)
    {
        int d = _d, s = _s;
        for (int i = 0; i < count; i++)
        {
            var request = _batch[i];
            request.Input.AsSpan().CopyTo(_inputs.AsSpan(i * d, d));
            request.State.AsSpan().CopyTo(_states.AsSpan(i * s, s));
        }

        // Traced only when a tracer listens and some row's step was sampled (otherwise nothing is allocated).
        var span = MicroMomentActivities.Source.HasListeners() ? StartBatchSpan(count) : null;
        long start = Stopwatch.GetTimestamp();
        try
        {
            _backend.Step(_inputs.AsSpan(0, count * d), _states.AsSpan(0, count * s), _buy.AsSpan(0, count), _exit.AsSpan(0, count), _attention.AsSpan(0, count));
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref _failures);
            if (span is not null)
            {
                span.SetStatus(ActivityStatusCode.Error, ex.Message);
                span.Stop();
            }

            for (int i = 0; i < count; i++)
            {
                var request = _batch[i];
                _batch[i] = null!;
                request.Fail(ex);
            }

            return;
        }

        long elapsed = Stopwatch.GetTimestamp() - start;
        var batchSpan = default(ActivitySpanId);
        if (span is not null)
        {
            span.Stop();
            batchSpan = span.SpanId;
        }

        Interlocked.Add(ref _stepTicks, elapsed);
        Instruments.RecordStep(elapsed);
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _rows, count);
        for (int i = 0; i < count; i++)
        {
            var request = _batch[i];
            _batch[i] = null!;
            _states.AsSpan(i * s, s).CopyTo(request.State);
            request.BatchSpan = batchSpan;
            request.Succeed(new StepOutput(_buy[i], _exit[i], _attention[i]));
        }
    }

    /// <summary>
    /// The span of a batch: one batch serves many grains' events, each in its own trace, so the span is a child of the
    /// first sampled step's span (it shows in that event's trace) and carries a link to every other sampled step; each
    /// step's span names the batch span (<see cref="MicroMomentActivities.BatchSpanTag"/>). Null when no row was sampled.
    /// </summary>
    private Activity? StartBatchSpan(int count)
    {
        int first = -1;
        List<ActivityLink>? links = null;
        for (int i = 0; i < count; i++)
        {
            var trace = _batch[i].Trace;
            if ((trace.TraceFlags & ActivityTraceFlags.Recorded) == 0) continue;
            if (first < 0) first = i;
            else (links ??= []).Add(new ActivityLink(trace));
        }

        if (first < 0) return null;
        var span = MicroMomentActivities.Source.StartActivity(MicroMomentActivities.ExecutorBatch, ActivityKind.Internal, _batch[first].Trace, links: links);
        span?.SetTag(MicroMomentActivities.BatchRowsTag, count);
        span?.SetTag("micromoment.executor.backend", _backend.Name);
        return span;
    }

    /// <summary>Refuses new requests, fails the queued ones and releases the backend.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        // Wait for a running flush to finish its batch, then fail whatever is left.
        var spin = new SpinWait();
        while (Interlocked.CompareExchange(ref _scheduled, 1, 0) != 0) spin.SpinOnce(sleep1Threshold: -1);
        while (_queue.TryDequeue(out var request)) request.Fail(new ObjectDisposedException(nameof(ModelExecutor), "The silo's model executor stopped before this step ran."));
        while (_lanes.TryTake(out var lane)) lane.Backend.Dispose();
        _backend.Dispose();
        if (_ownsMeter) Instruments.Meter.Dispose();
    }
}
