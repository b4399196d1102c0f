using BenchmarkDotNet.Attributes;
using MicroMoment.Data;
using MicroMoment.Events;
using MicroMoment.Scoring;

namespace MicroMoment.Benchmarks;

/// <summary>
/// The whole per-event path a user grain runs with the bundled model: sessionize, encode 50 features, assign
/// the cluster, step the attention-LSTM (hidden 64) and calibrate both heads. Time per operation is per event.
/// </summary>
[ModelBenchmark]
public class ScoreEventBenchmarks
{
    private const int Events = 4096;
    private SessionScorer _scorer = null!;
    private ClickEvent[] _events = null!;

    /// <summary>Loads the bundled model and one shopper's worth of synthetic events.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var model = MicroMomentModel.Load(BundledModelPath());
        _scorer = model.CreateScorer();
        _events = [.. SyntheticTraffic.Generate(new SyntheticTrafficOptions { Users = 400, Seed = 3 })
            .Take(Events)
            .Select((e, i) => e with { UserId = "bench", Timestamp = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(20 * i) })];
    }

    /// <summary>Scores <c>4096</c> consecutive events (one long session, as the scorer sees any session).</summary>
    [Benchmark(OperationsPerInvoke = Events)]
    public float ScoreEvent()
    {
        _scorer.Reset();
        var sum = 0f;
        foreach (ref readonly var e in _events.AsSpan()) sum += _scorer.Score(e).BuyProbability;
        return sum;
    }

    private static string BundledModelPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "models", "default", "model.mmm");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("models/default/model.mmm not found above " + AppContext.BaseDirectory);
    }
}
