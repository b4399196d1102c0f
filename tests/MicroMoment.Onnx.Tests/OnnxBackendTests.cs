using MicroMoment.Features;
using MicroMoment.Model;
using MicroMoment.Scoring;
using MicroMoment.Silo.Execution;
using static MicroMoment.Onnx.Tests.OnnxTestData;

namespace MicroMoment.Onnx.Tests;

public class OnnxBackendTests
{
    private static bool NoNvidiaDriver => OperatingSystem.IsLinux() && OnnxRuntimeEnvironment.NvidiaDriver() is null;

    [Fact]
    public void FactoryCreatesEachBackendByItsName()
    {
        var model = BundledModel;
        var options = new ModelExecutorOptions { MaxBatch = 64 };
        using (var simd = StepBackendFactory.Create("simd", model, options))
        {
            Assert.IsType<SimdStepBackend>(simd);
            Assert.Equal("simd", simd.Name);
        }

        using (var onnx = StepBackendFactory.Create(" ONNX-CPU ", model, options))
        {
            Assert.IsType<OnnxStepBackend>(onnx);
            Assert.Equal("onnx-cpu", onnx.Name);
            Assert.Equal(model.Network.StateSize, onnx.StateSize);
            Assert.Equal(model.Network.Shape.InputSize, onnx.InputSize);
            Assert.Equal(64, onnx.MaxBatch);
        }

        using (var fromOptions = StepBackendFactory.Create(model, options with { Backend = "onnx-cpu" }))
        {
            Assert.Equal("onnx-cpu", fromOptions.Name);
        }

        var error = Assert.Throws<ArgumentException>(() => StepBackendFactory.Create("tensorrt", model, options));
        Assert.Contains("'tensorrt' is not a model backend; expected one of simd, onnx-cpu, onnx-cuda, auto", error.Message);
    }

    [Fact]
    public void OnnxCudaIsRefusedAtStartWithTheReasonWhereItCannotRun()
    {
        var model = BundledModel;
        StepBackendUnavailableException error;
        try
        {
            using var backend = StepBackendFactory.Create("onnx-cuda", model, new ModelExecutorOptions { MaxBatch = 16 });
            // It started: this machine has a GPU with the CUDA libraries; then it must score like the model.
            Assert.False(NoNvidiaDriver, "onnx-cuda started on a machine without an NVIDIA driver");
            Assert.Equal("onnx-cuda", backend.Name);
            AssertScoresLikeTheModel(backend, model);
            return;
        }
        catch (StepBackendUnavailableException ex)
        {
            error = ex;
        }

        Assert.Equal("onnx-cuda", error.Backend);
        Assert.StartsWith("The silo's model backend 'onnx-cuda' cannot start on this machine: ", error.Message);
        Assert.Contains("CUDA", error.Message);
        if (NoNvidiaDriver)
        {
            Assert.Contains("No NVIDIA GPU driver is loaded on this machine", error.Message);
        }

        // Every CUDA library this process cannot load is named.
        foreach (var library in OnnxRuntimeEnvironment.MissingCudaLibraries()) Assert.Contains(library, error.Message);

        Assert.DoesNotContain("\u001b[", error.Message);
    }

    [Fact]
    public void ANativeLibraryWithoutTheCudaProviderIsRefusedSayingHowToGetOne()
    {
        OnnxRuntimeEnvironment.RequireCudaProvider(["CUDAExecutionProvider", "CPUExecutionProvider"], "1.32.0");
        var error = Assert.Throws<OnnxRuntimeUnavailableException>(() => OnnxRuntimeEnvironment.RequireCudaProvider(["CPUExecutionProvider"], "1.32.0"));
        Assert.Equal(OnnxExecutionProvider.Cuda, error.Provider);
        Assert.Contains("without the CUDA execution provider (it has CPUExecutionProvider)", error.Message);
        Assert.Contains("-p:OnnxRuntimeNatives=gpu", error.Message);
    }

    [Fact]
    public void AutoTakesTheSimdKernelAndSaysWhyWhereCudaCannotRun()
    {
        var model = BundledModel;
        using var backend = StepBackendFactory.Create("auto", model, new ModelExecutorOptions { MaxBatch = 16 }, out var reason);
        if (backend.Name == "onnx-cuda")
        {
            Assert.Null(reason);
            Assert.False(NoNvidiaDriver);
            return;
        }

        Assert.Equal("simd", backend.Name);
        Assert.NotNull(reason);
        Assert.Contains("'onnx-cuda' cannot start on this machine", reason);
        AssertScoresLikeTheModel(backend, model);
    }

    [Fact]
    public async Task ScoresThroughTheExecutorOnOnnxCpuEqualSessionScorerOnTheRees46Sample()
    {
        var model = BundledModel;
        using var executor = new ModelExecutor(StepBackendFactory.Create("onnx-cpu", model, new ModelExecutorOptions { MaxBatch = 256 }), new ModelExecutorOptions { MaxBatch = 256 });
        Assert.Equal("onnx-cpu", executor.Backend);
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
                    // The intent follows from the probabilities; a probability within rounding of its threshold may read either way.
                    if (Math.Abs(expected.BuyProbability - model.BuyThreshold) > 1e-5 && Math.Abs(expected.ExitProbability - model.ExitThreshold) > 1e-5)
                        Assert.Equal(expected.Intent, actual.Intent);
                    Interlocked.Increment(ref compared);
                }
            }
            finally
            {
                gate.Release();
            }
        }));

        Assert.Equal(Rees46.Length, compared);
        Assert.Equal(Rees46.Length, executor.Rows);
        Assert.Equal(0, executor.Failures);
        Assert.True(executor.Rows > 2 * executor.Batches, $"{executor.Rows} rows in {executor.Batches} batches");
    }

    [Fact]
    public void OnnxCpuStepAllocatesNothingOnceABatchSizeWasSeen()
    {
        var model = BundledModel;
        using var backend = new OnnxStepBackend(model.Network, OnnxExecutionProvider.Cpu, 256);
        int d = backend.InputSize, s = backend.StateSize;
        foreach (int batch in new[] { 1, 37, 256 })
        {
            var inputs = Rees46Sessions.Take(batch).SelectMany(x => x[0]).ToArray();
            var states = ResetStates(model, batch);
            float[] buy = new float[batch], exit = new float[batch], scores = new float[batch];
            backend.Step(inputs, states, buy, exit, scores);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 50; i++) backend.Step(inputs, states, buy, exit, scores);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated == 0, $"{allocated} bytes allocated in 50 steps of batch {batch}");
            Assert.Equal(inputs.Length, batch * d);
            Assert.Equal(states.Length, batch * s);
        }
    }

    [Fact]
    public void BadBatchesAreRefusedAndLeaveTheStatesAlone()
    {
        var model = BundledModel;
        using var backend = new OnnxStepBackend(model.Network, OnnxExecutionProvider.Cpu, 4);
        int d = backend.InputSize;
        var inputs = new float[2 * d];
        inputs[d + 3] = float.NaN;
        var states = ResetStates(model, 2);
        var before = (float[])states.Clone();
        float[] buy = new float[2], exit = new float[2], scores = new float[2];
        var nan = Assert.Throws<ArgumentException>(() => backend.Step(inputs, states, buy, exit, scores));
        Assert.Contains("Input feature 3 of row 1 is NaN", nan.Message);
        Assert.Equal(before, states);

        var tooMany = new float[5 * d];
        Assert.Contains("exceeds this session's capacity of 4",
            Assert.Throws<ArgumentException>(() => backend.Step(tooMany, ResetStates(model, 5), new float[5], new float[5], new float[5])).Message);
        Assert.Contains("Expected states to hold B (2)",
            Assert.Throws<ArgumentException>(() => backend.Step(new float[2 * d], new float[3], buy, exit, scores)).Message);
    }

    /// <summary>Steps the first event of a few REES46 sessions through <paramref name="backend"/> and the model's own Step.</summary>
    private static void AssertScoresLikeTheModel(IStepBackend backend, MicroMomentModel model)
    {
        const int batch = 8;
        var inputs = Rees46Sessions.Take(batch).SelectMany(x => x[0]).ToArray();
        var states = ResetStates(model, batch);
        float[] buy = new float[batch], exit = new float[batch], scores = new float[batch];
        backend.Step(inputs, states, buy, exit, scores);
        int d = model.Network.Shape.InputSize;
        for (int r = 0; r < batch; r++)
        {
            var state = ResetStates(model, 1);
            var expected = model.Network.Step(inputs.AsSpan(r * d, d), state);
            Assert.Equal(expected.BuyLogit, buy[r], 1e-5f);
            Assert.Equal(expected.ExitLogit, exit[r], 1e-5f);
            Assert.Equal(expected.AttentionScore, scores[r], 1e-5f);
        }
    }
}
