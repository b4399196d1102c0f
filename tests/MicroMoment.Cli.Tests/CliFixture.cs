using MicroMoment.Cli.Commands;
using MicroMoment.Data;
using MicroMoment.Gbdt;
using MicroMoment.Training;
using Spectre.Console;

namespace MicroMoment.Cli.Tests;

/// <summary>Trains one small model on a synthetic log once for all CLI tests.</summary>
public sealed class CliFixture : IDisposable
{
    public CliFixture()
    {
        Root = Directory.CreateTempSubdirectory("mm-cli-").FullName;
        LogPath = Path.Combine(Root, "synthetic.csv");
        using (var writer = new StreamWriter(LogPath)) SyntheticTraffic.WriteRees46Csv(writer, new SyntheticTrafficOptions { Users = 600, Seed = 7 });
        TrainOutput = Path.Combine(Root, "train");
        Console = new RecordingConsole();
        ExitCode = TrainCommand.Run(Console, [new FileInfo(LogPath)], new DirectoryInfo(TrainOutput), SmallOptions(), "micromoment train (test)");
    }

    public string Root { get; }

    public string LogPath { get; }

    public string TrainOutput { get; }

    public RecordingConsole Console { get; }

    public int ExitCode { get; }

    public string ModelPath => Path.Combine(TrainOutput, "model.mmm");

    public static ExperimentOptions SmallOptions()
    {
        var options = new ExperimentOptions
        {
            HiddenSize = 8, AttentionSize = 4, Repeats = 2, RandomSplits = true, BootstrapIterations = 50,
            Peers = [new LightGbmPeer(new LightGbmPeerOptions { MaxIterations = 60, EarlyStoppingRounds = 10 })],
        };
        options.Trainer = options.Trainer with { Epochs = 2 };
        return options;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
