using System.Diagnostics;
using MicroMoment.Model;

namespace MicroMoment.Benchmarks;

/// <summary>Fast Stopwatch probes of the model's hot paths (development aid; medians over repeated rounds).</summary>
public static class Probe
{
    private const int Rounds = 30;

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
            Console.WriteLine($"TrainingBenchmarks events: {BenchmarkModel.TrainingData().Sum(s => s.Length)}");
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
        var workload = new StepWorkload(zeroFraction);
        var rounds = TimeRounds(() => workload.Run(), elapsed => elapsed.TotalMicroseconds / StepWorkload.Steps);
        Console.WriteLine($"Step H=64 D=60 zeros={zeroFraction:P0}: median {rounds[Rounds / 2]:F3} µs/step (min {rounds[0]:F3})");
    }

    /// <summary>
    /// Runs <paramref name="round"/> for about a second so tiered compilation reaches optimised code, then times
    /// <see cref="Rounds"/> rounds of it; returns <paramref name="measure"/> of each round's time, in ascending order.
    /// </summary>
    private static List<double> TimeRounds(Action round, Func<TimeSpan, double> measure)
    {
        var warmUp = Stopwatch.StartNew();
        while (warmUp.ElapsedMilliseconds < 1000)
        {
            round();
        }

        var rounds = new List<double>(Rounds);
        for (int i = 0; i < Rounds; i++)
        {
            var sw = Stopwatch.StartNew();
            round();
            rounds.Add(measure(sw.Elapsed));
        }

        rounds.Sort();
        return rounds;
    }

    private static void ProbeTensorPrimitives()
    {
        float[] x = SyntheticData.Inputs(1, 128, 0, 1);
        float[] big = x.Select(v => v * 20).ToArray();
        var y = new float[128];
        void Time(string name, Action action)
        {
            var rounds = TimeRounds(
                () =>
                {
                    for (int i = 0; i < 2000; i++)
                    {
                        action();
                    }
                },
                elapsed => elapsed.TotalNanoseconds / 2000);
            Console.WriteLine($"{name}: median {rounds[Rounds / 2]:F1} ns (min {rounds[0]:F1})");
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
        var rounds = TimeRounds(
            () =>
            {
                for (int i = 0; i < 50; i++)
                {
                    GemmKernel.Multiply(m, n, k, a, k, 1, b, n, c, n, false, bias);
                }
            },
            elapsed => 50 * 2.0 * m * n * k / elapsed.TotalSeconds / 1e9);
        Console.WriteLine($"GEMM 256x256x124 one core ({GemmKernel.BestPath}): median {rounds[Rounds / 2]:F1} GFLOP/s (max {rounds[^1]:F1})");
    }

    private static void ProbeGemv()
    {
        float[] a = SyntheticData.Inputs(1, 124, 0, 1);
        float[] b = SyntheticData.Inputs(124, 256, 0, 2);
        var c = new float[256];
        foreach ((int k, int n) in new[] { (124, 256), (60, 256), (64, 256), (64, 32) })
        {
            var rounds = TimeRounds(
                () =>
                {
                    for (int i = 0; i < 2000; i++)
                    {
                        GemmKernel.Multiply(1, n, k, a, 0, 1, b, n, c, n);
                    }
                },
                elapsed => elapsed.TotalMicroseconds / 2000);
            Console.WriteLine($"gemv k={k} n={n}: median {rounds[Rounds / 2]:F3} µs (min {rounds[0]:F3})");
        }
    }

    private static void ProbeBatch(int batch, int threads)
    {
        using var workload = new BatchStepWorkload(batch, threads);
        const int calls = 40;
        var rounds = TimeRounds(
            () =>
            {
                for (int i = 0; i < calls; i++)
                {
                    workload.Run();
                }
            },
            elapsed => calls * batch / elapsed.TotalSeconds);
        double median = rounds[Rounds / 2];
        double flopsPerStep = 2.0 * (60 + 64) * 256 + 2.0 * 64 * 32;
        Console.WriteLine($"StepBatch B={batch} threads={threads}: median {median:N0} steps/s (max {rounds[^1]:N0}), GEMM {median * flopsPerStep / 1e9:F1} GFLOP/s");
    }

    private static void ProbeTraining()
    {
        List<SequenceExample> data = BenchmarkModel.TrainingData(2000);
        AttentionLstm model = BenchmarkModel.Create();
        var options = new TrainerOptions { Epochs = 5, Patience = 10, BatchSize = 128 };
        TrainingResult result = new AttentionLstmTrainer().Train(model, data, [], options);
        foreach (EpochRecord epoch in result.Epochs)
        {
            Console.WriteLine($"Training epoch {epoch.Epoch}: {epoch.EventsPerSecond:N0} events/s, loss {epoch.TrainLoss:F4}, {epoch.Elapsed.TotalSeconds:F2} s");
        }
    }
}
