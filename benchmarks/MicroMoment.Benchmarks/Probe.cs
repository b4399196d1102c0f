using System.Diagnostics;
using MicroMoment.Model;

namespace MicroMoment.Benchmarks;

/// <summary>Fast Stopwatch probes of the model's hot paths (development aid; medians over repeated rounds).</summary>
public static class Probe
{
    /// <summary>Runs the probes named in <paramref name="args"/> (step, batch, train; all when empty).</summary>
    public static void Run(string[] args)
    {
        bool all = args.Length == 0;
        if (all || args.Contains("step"))
        {
            ProbeStep(zeroFraction: 0.0);
            ProbeStep(zeroFraction: 0.8);
        }

        if (args.Contains("gemm"))
        {
            ProbeGemm();
        }

        if (args.Contains("events"))
        {
            Console.WriteLine($"TrainingBenchmarks events: {SyntheticData.Sequences(512, 60, 4, 40, 11).Sum(s => s.Length)}");
        }

        if (args.Contains("tp"))
        {
            ProbeTensorPrimitives();
        }

        if (args.Contains("gemv"))
        {
            ProbeGemv();
        }

        if (all || args.Contains("batch"))
        {
            ProbeBatch(256, 2);
            ProbeBatch(256, 1);
        }

        if (all || args.Contains("train"))
        {
            ProbeTraining();
        }
    }

    private static void ProbeStep(double zeroFraction)
    {
        var shape = new AttentionLstmShape(60, 64, 32);
        AttentionLstm model = AttentionLstm.Create(shape, 1);
        float[] inputs = SyntheticData.Inputs(1024, 60, zeroFraction, 7);
        var state = new float[model.StateSize];
        model.ResetState(state);
        WarmUp(() =>
        {
            for (int i = 0; i < 1024; i++)
            {
                model.Step(inputs.AsSpan(i * 60, 60), state);
            }
        });
        var rounds = new List<double>();
        for (int round = 0; round < 30; round++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 1024; i++)
            {
                model.Step(inputs.AsSpan(i * 60, 60), state);
            }

            rounds.Add(sw.Elapsed.TotalMicroseconds / 1024);
        }

        rounds.Sort();
        Console.WriteLine($"Step H=64 D=60 zeros={zeroFraction:P0}: median {rounds[rounds.Count / 2]:F3} µs/step (min {rounds[0]:F3})");
    }

    /// <summary>Runs <paramref name="action"/> for about a second so tiered compilation reaches optimised code.</summary>
    private static void WarmUp(Action action)
    {
        var sw = Stopwatch.StartNew();
        while (sw.ElapsedMilliseconds < 1000)
        {
            action();
        }
    }

    private static void ProbeTensorPrimitives()
    {
        float[] x = SyntheticData.Inputs(1, 128, 0, 1);
        float[] big = x.Select(v => v * 20).ToArray();
        var y = new float[128];
        void Time(string name, Action action)
        {
            WarmUp(action);
            var rounds = new List<double>();
            for (int round = 0; round < 30; round++)
            {
                var sw = Stopwatch.StartNew();
                for (int i = 0; i < 2000; i++)
                {
                    action();
                }

                rounds.Add(sw.Elapsed.TotalNanoseconds / 2000);
            }

            rounds.Sort();
            Console.WriteLine($"{name}: median {rounds[15]:F1} ns (min {rounds[0]:F1})");
        }

        Time("Sigmoid 128", () => System.Numerics.Tensors.TensorPrimitives.Sigmoid(x, y));
        Time("Sigmoid 128 large", () => System.Numerics.Tensors.TensorPrimitives.Sigmoid(big, y));
        Time("Tanh 64", () => System.Numerics.Tensors.TensorPrimitives.Tanh(x.AsSpan(0, 64), y));
        Time("Tanh 64 large", () => System.Numerics.Tensors.TensorPrimitives.Tanh(big.AsSpan(0, 64), y));
        Time("Multiply 64", () => System.Numerics.Tensors.TensorPrimitives.Multiply(x.AsSpan(0, 64), x.AsSpan(64, 64), y));
        Time("MultiplyAdd 64", () => System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(x.AsSpan(0, 64), x.AsSpan(64, 64), y.AsSpan(0, 64), y));
        Time("Dot 64", () => System.Numerics.Tensors.TensorPrimitives.Dot(x.AsSpan(0, 64), x.AsSpan(64, 64)));
        Time("MathF.Exp x2", () => { y[0] = MathF.Exp(x[0]) + MathF.Exp(x[1]); });
        Time("Activations.Sigmoid 128", () => Activations.Sigmoid(y));
        Time("Activations.Tanh 64", () => Activations.Tanh(x.AsSpan(0, 64), y));
        var gates = new float[256];
        var cell = new float[64];
        var hidden = new float[64];
        Time("LstmPointwise H=64", () => Activations.LstmPointwise(gates, cell, cell, default, hidden));
    }

    private static void ProbeGemm()
    {
        // The StepBatch gate product: (256 × 124) · (124 × 256) on one core.
        const int m = 256, n = 256, k = 124;
        float[] a = SyntheticData.Inputs(m, k, 0, 1);
        float[] b = SyntheticData.Inputs(k, n, 0, 2);
        var c = new float[m * n];
        float[] bias = SyntheticData.Inputs(1, n, 0, 3);
        WarmUp(() => GemmKernel.Multiply(m, n, k, a, k, 1, b, n, c, n, false, bias));
        var rounds = new List<double>();
        for (int round = 0; round < 30; round++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 50; i++)
            {
                GemmKernel.Multiply(m, n, k, a, k, 1, b, n, c, n, false, bias);
            }

            rounds.Add(50 * 2.0 * m * n * k / sw.Elapsed.TotalSeconds / 1e9);
        }

        rounds.Sort();
        Console.WriteLine($"GEMM 256x256x124 one core ({GemmKernel.BestPath}): median {rounds[15]:F1} GFLOP/s (max {rounds[^1]:F1})");
    }

    private static void ProbeGemv()
    {
        float[] a = SyntheticData.Inputs(1, 124, 0, 1);
        float[] b = SyntheticData.Inputs(124, 256, 0, 2);
        var c = new float[256];
        foreach ((int k, int n) in new[] { (124, 256), (60, 256), (64, 256), (64, 32) })
        {
            WarmUp(() => GemmKernel.Multiply(1, n, k, a, 0, 1, b, n, c, n));
            var rounds = new List<double>();
            for (int round = 0; round < 30; round++)
            {
                var sw = Stopwatch.StartNew();
                for (int i = 0; i < 2000; i++)
                {
                    GemmKernel.Multiply(1, n, k, a, 0, 1, b, n, c, n);
                }

                rounds.Add(sw.Elapsed.TotalMicroseconds / 2000);
            }

            rounds.Sort();
            Console.WriteLine($"gemv k={k} n={n}: median {rounds[15]:F3} µs (min {rounds[0]:F3})");
        }
    }

    private static void ProbeBatch(int batch, int threads)
    {
        var shape = new AttentionLstmShape(60, 64, 32);
        AttentionLstm model = AttentionLstm.Create(shape, 1);
        float[] inputs = SyntheticData.Inputs(batch, 60, 0.0, 3);
        var states = new float[batch * model.StateSize];
        for (int r = 0; r < batch; r++)
        {
            model.ResetState(states.AsSpan(r * model.StateSize, model.StateSize));
        }

        var buy = new float[batch];
        var exit = new float[batch];
        var scores = new float[batch];
        var workspace = new BatchWorkspace(shape, batch) { DegreeOfParallelism = threads };
        WarmUp(() => model.StepBatch(inputs, states, buy, exit, scores, workspace));
        var rounds = new List<double>();
        for (int round = 0; round < 30; round++)
        {
            var sw = Stopwatch.StartNew();
            const int calls = 40;
            for (int i = 0; i < calls; i++)
            {
                model.StepBatch(inputs, states, buy, exit, scores, workspace);
            }

            rounds.Add(calls * batch / sw.Elapsed.TotalSeconds);
        }

        rounds.Sort();
        double median = rounds[rounds.Count / 2];
        double flopsPerStep = 2.0 * (60 + 64) * 256 + 2.0 * 64 * 32;
        Console.WriteLine($"StepBatch B={batch} threads={threads}: median {median:N0} steps/s (max {rounds[^1]:N0}), GEMM {median * flopsPerStep / 1e9:F1} GFLOP/s");
    }

    private static void ProbeTraining()
    {
        var shape = new AttentionLstmShape(60, 64, 32);
        List<SequenceExample> data = SyntheticData.Sequences(2000, 60, 4, 40, 11);
        AttentionLstm model = AttentionLstm.Create(shape, 1);
        var options = new TrainerOptions { Epochs = 5, Patience = 10, BatchSize = 128 };
        TrainingResult result = new AttentionLstmTrainer().Train(model, data, [], options);
        foreach (EpochRecord epoch in result.Epochs)
        {
            Console.WriteLine($"Training epoch {epoch.Epoch}: {epoch.EventsPerSecond:N0} events/s, loss {epoch.TrainLoss:F4}, {epoch.Elapsed.TotalSeconds:F2} s");
        }
    }
}
