using MicroMoment.Data;
using MicroMoment.Sessions;
using MicroMoment.Training;

namespace MicroMoment.Tests.Training;

/// <summary>One small model trained once on labelled synthetic traffic, shared by the training and scoring tests.</summary>
public sealed class TrainedModelFixture
{
    public TrainedModelFixture()
    {
        Sessions = Sessionizer.Sessionize(SyntheticTraffic.Generate(new SyntheticTrafficOptions { Users = 500, Seed = 11 }), SessionizerOptions.Default);
        var options = Options();
        Run = new ExperimentRunner(options).RunSplit(SessionSplit.StratifiedRandom(Sessions, 3), 3, "test", "synthetic", "test");
    }

    public IReadOnlyList<Session> Sessions { get; }

    public SplitRun Run { get; }

    public static ExperimentOptions Options()
    {
        var options = new ExperimentOptions { HiddenSize = 8, AttentionSize = 4, Repeats = 1, BootstrapIterations = 20 };
        options.Trainer = options.Trainer with { Epochs = 8 };
        return options;
    }
}
