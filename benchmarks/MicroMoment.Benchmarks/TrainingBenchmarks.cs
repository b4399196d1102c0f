using BenchmarkDotNet.Attributes;
using MicroMoment.Model;

namespace MicroMoment.Benchmarks;

/// <summary>
/// One training epoch (forward, backward, Adam) over synthetic sessions of 4–40 events (H = 64, D = 60, A = 32,
/// 2 worker threads); time per operation is per training event, so Ops/s is events per second.
/// </summary>
[ModelBenchmark]
public class TrainingBenchmarks
{
    private const int TotalEvents = 11_004; // events in BenchmarkModel.TrainingData(), checked in Setup
    private readonly AttentionLstmTrainer _trainer = new();
    private List<SequenceExample> _data = null!;
    private AttentionLstm _model = null!;
    private TrainerOptions _options = null!;

    /// <summary>Builds the data and the model.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _data = BenchmarkModel.TrainingData();
        int events = _data.Sum(s => s.Length);
        if (events != TotalEvents)
        {
            throw new InvalidOperationException($"Synthetic data has {events} events; update TotalEvents (expected {TotalEvents}).");
        }

        _model = BenchmarkModel.Create();
        _options = new TrainerOptions { Epochs = 1, BatchSize = 128, DegreeOfParallelism = 2 };
    }

    /// <summary>One epoch without validation.</summary>
    [Benchmark(OperationsPerInvoke = TotalEvents)]
    public TrainingResult TrainOneEpoch() => _trainer.Train(_model, _data, [], _options);
}
