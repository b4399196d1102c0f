using System.Diagnostics;
using MicroMoment.Events;
using MicroMoment.Features;
using MicroMoment.Model;
using MicroMoment.Scoring;
using MicroMoment.Silo.Execution;
using static MicroMoment.Silo.Tests.SiloTestData;

namespace MicroMoment.Silo.Tests.Execution;

public class ModelExecutorTests
{
    [Fact]
    public async Task ScoresThroughTheExecutorEqualSessionScorerOnTheRees46Sample()
    {
        var model = BundledModel;
        using var executor = new ModelExecutor(new SimdStepBackend(model.Network, 512), new ModelExecutorOptions { MaxBatch = 512 });
        var byUser = Rees46.GroupBy(e => e.UserId).Select(g => g.ToArray()).ToArray();
        int compared = 0;
        // Every shopper runs as its own sequential task, as a grain would; hundreds step at once.
        using var gate = new SemaphoreSlim(300);
        await Task.WhenAll(byUser.Select(async events =>
        {
            await gate.WaitAsync();
            try
            {
                var reference = model.CreateScorer();
                var request = executor.CreateRequest();
                var state = new float[model.Network.StateSize];
                model.Network.ResetState(state);
                request.State = state;
                SessionFeatureState features = default;
                features.Reset();
                long last = 0;
                int length = 0;
                foreach (var e in events)
                {
                    bool newSession = SessionScorer.Prepare(model, ref features, state, ref last, ref length, e, request.Input, out int cluster, out int position);
                    var output = await executor.StepAsync(request);
                    var actual = SessionScorer.Complete(model, output, cluster, position, newSession);
                    var expected = reference.Score(e);
                    Assert.Equal(expected.BuyProbability, actual.BuyProbability, 1e-5f);
                    Assert.Equal(expected.ExitProbability, actual.ExitProbability, 1e-5f);
                    Assert.Equal(expected.AttentionLogit, actual.AttentionLogit, 1e-5f);
                    Assert.Equal(expected.Cluster, actual.Cluster);
                    Assert.Equal(expected.Position, actual.Position);
                    Assert.Equal(expected.Intent, actual.Intent);
                    Interlocked.Increment(ref compared);
                }

                for (int i = 0; i < state.Length; i++) Assert.Equal(reference.NetworkState[i], state[i], 1e-5f);
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.Equal(Rees46.Length, compared);
        Assert.Equal(Rees46.Length, executor.Rows);
        // Requests of many shoppers really shared batches.
        Assert.True(executor.Rows > 2 * executor.Batches, $"{executor.Rows} rows in {executor.Batches} batches");
    }

    [Fact]
    public async Task NoBatchExceedsTheMaximumAndEveryRequestIsAnswered()
    {
        var backend = new RecordingBackend(inputSize: 3, stateSize: 2, maxBatch: 64);
        using var executor = new ModelExecutor(backend, new ModelExecutorOptions { MaxBatch = 8 });
        var requests = Enumerable.Range(0, 200).Select(i =>
        {
            var r = executor.CreateRequest();
            r.Input[0] = i;
            return r;
        }).ToArray();
        var outputs = await Task.WhenAll(requests.Select(r => executor.StepAsync(r).AsTask()));
        for (int i = 0; i < outputs.Length; i++)
        {
            Assert.Equal(i, outputs[i].BuyLogit);
            Assert.Equal(1f, requests[i].State[0]); // the backend's state update reached the request's own array
        }

        Assert.True(backend.Batches.Count >= 200 / 8, $"{backend.Batches.Count} batches");
        Assert.All(backend.Batches, size => Assert.InRange(size, 1, 8));
        Assert.Equal(200, backend.Batches.Sum());
    }

    [Fact]
    public async Task AQuietPeriodGathersRequestsThatArriveOneByOneIntoOneBatch()
    {
        var backend = new RecordingBackend(inputSize: 1, stateSize: 1, maxBatch: 64);
        using var executor = new ModelExecutor(backend, new ModelExecutorOptions { MaxBatch = 64, QuietPeriod = TimeSpan.FromMilliseconds(50) });
        var tasks = new List<Task<StepOutput>>();
        for (int i = 0; i < 10; i++)
        {
            tasks.Add(executor.StepAsync(executor.CreateRequest()).AsTask());
            Thread.Sleep(1); // well inside the quiet period
        }

        await Task.WhenAll(tasks);
        Assert.True(backend.Batches.Count <= 2, $"batches: {string.Join(", ", backend.Batches)}");
    }

    [Fact]
    public async Task ABackendFailureFailsItsBatchOnlyAndTheExecutorKeepsRunning()
    {
        var backend = new RecordingBackend(inputSize: 1, stateSize: 1, maxBatch: 4) { FailNext = true };
        using var executor = new ModelExecutor(backend);
        var failed = executor.StepAsync(executor.CreateRequest());
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await failed);
        Assert.Equal("backend failed", error.Message);
        Assert.Equal(1, executor.Failures);
        var next = await executor.StepAsync(executor.CreateRequest());
        Assert.Equal(0f, next.BuyLogit);
    }

    [Fact]
    public void ARequestRefusesAStateOfTheWrongSize()
    {
        var request = new StepRequest(4, 6);
        var error = Assert.Throws<ArgumentException>(() => request.State = new float[5]);
        Assert.Contains("6 floats; got 5", error.Message);
    }

    [Fact]
    public void BadOptionsAreNamed()
    {
        var error = Assert.Throws<ArgumentException>(() => new ModelExecutorOptions { MaxBatch = 0 }.Validate());
        Assert.Contains("MaxBatch is 0", error.Message);
    }

    [Fact]
    public void RunningABatchAllocatesNothing()
    {
        var model = BundledModel;
        using var executor = new ModelExecutor(new SimdStepBackend(model.Network, 64), new ModelExecutorOptions { MaxBatch = 64 });
        var requests = Enumerable.Range(0, 64).Select(_ =>
        {
            var r = executor.CreateRequest();
            model.Network.ResetState(r.State);
            return r;
        }).ToArray();
        // Warm up, then measure the flush loop itself (run inline on this thread) over many full batches.
        long Measure()
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int round = 0; round < 50; round++)
            {
                foreach (var r in requests) _ = executor.EnqueueForTest(r);
                ((IThreadPoolWorkItem)executor).Execute();
            }

            return GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Measure();
        Assert.Equal(0, Enumerable.Range(0, 5).Min(_ => Measure()));
    }

    [Fact]
    public async Task ATracedBatchIsAChildOfItsFirstSampledStepLinksTheOtherSampledStepsAndIsNamedByEveryStep()
    {
        // Only this test's traces are sampled (other tests' spans are left alone).
        var first = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var other = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded);
        var unsampled = new ActivityContext(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.None);
        var stopped = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MicroMomentActivities.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> o) => o.Parent.TraceId == first.TraceId ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStopped = a => { if (a.TraceId == first.TraceId) stopped.Enqueue(a); },
        };
        ActivitySource.AddActivityListener(listener);
        var backend = new RecordingBackend(inputSize: 3, stateSize: 2, maxBatch: 4);
        using var executor = new ModelExecutor(backend, new ModelExecutorOptions { MaxBatch = 4 });
        var requests = new[] { default, first, unsampled, other }.Select(trace =>
        {
            var r = executor.CreateRequest();
            r.Trace = trace;
            return r;
        }).ToArray();

        var steps = requests.Select(r => executor.EnqueueForTest(r).AsTask()).ToArray();
        ((IThreadPoolWorkItem)executor).Execute();
        await Task.WhenAll(steps);

        var batch = Assert.Single(stopped, a => a.OperationName == MicroMomentActivities.ExecutorBatch);
        Assert.Equal(first.SpanId, batch.ParentSpanId);
        Assert.Equal(other, Assert.Single(batch.Links).Context);
        Assert.Equal(4, batch.GetTagItem(MicroMomentActivities.BatchRowsTag));
        Assert.All(requests, r => Assert.Equal(batch.SpanId, r.BatchSpan));

        // A batch none of whose steps was sampled makes no span, and its steps name none.
        foreach (var r in requests) r.Trace = unsampled;
        steps = requests.Select(r => executor.EnqueueForTest(r).AsTask()).ToArray();
        ((IThreadPoolWorkItem)executor).Execute();
        await Task.WhenAll(steps);
        Assert.Single(stopped);
        Assert.All(requests, r => Assert.Equal(default, r.BatchSpan));
    }

    private sealed class RecordingBackend(int inputSize, int stateSize, int maxBatch) : IStepBackend
    {
        public List<int> Batches { get; } = [];

        public bool FailNext { get; set; }

        public string Name => "recording";

        public int InputSize => inputSize;

        public int StateSize => stateSize;

        public int MaxBatch => maxBatch;

        public void Step(ReadOnlySpan<float> inputs, Span<float> states, Span<float> buyLogits, Span<float> exitLogits, Span<float> attentionScores)
        {
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("backend failed");
            }

            lock (Batches) Batches.Add(buyLogits.Length);
            for (int i = 0; i < buyLogits.Length; i++)
            {
                buyLogits[i] = inputs[i * inputSize];
                states[i * stateSize] += 1;
            }
        }

        public void Dispose()
        {
        }
    }
}
