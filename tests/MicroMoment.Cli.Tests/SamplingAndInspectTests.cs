using System.Text.Json;
using MicroMoment.Cli.Commands;
using MicroMoment.Data;
using MicroMoment.Sessions;
using MicroMoment.Training;

namespace MicroMoment.Cli.Tests;

public sealed class SamplingAndInspectTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mm-sample-").FullName;
    private readonly string _log;

    public SamplingAndInspectTests()
    {
        _log = Path.Combine(_root, "synthetic.csv");
        using var writer = new StreamWriter(_log);
        SyntheticTraffic.WriteRees46Csv(writer, new SyntheticTrafficOptions { Users = 500, Seed = 3 });
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private IReadOnlyList<Session> AllSessions() =>
        Sessionizer.Sessionize(EventLogReader.Read(_log, new IngestReport()), SessionizerOptions.Default);

    [Fact]
    public void TrainingWithASessionBoundUsesThatManySessionsAndSaysOutOfHowMany()
    {
        var total = AllSessions().Count;
        Assert.True(total > 600, $"the synthetic log should have more than 600 sessions; it has {total}");
        var options = new ExperimentOptions { HiddenSize = 4, AttentionSize = 2, Repeats = 1, RandomSplits = false, BootstrapIterations = 20, MaxSessions = 600 };
        options.Trainer = options.Trainer with { Epochs = 1 };
        var console = new RecordingConsole();
        var output = Path.Combine(_root, "train");

        Assert.Equal(ExitCodes.Success, TrainCommand.Run(console, [new FileInfo(_log)], new DirectoryInfo(output), options, "micromoment train (sampled)"));

        Assert.Contains($"Sampled 600 of {total:N0} sessions", console.Output);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json")));
        var sessions = metrics.RootElement.GetProperty("data").GetProperty("sessions");
        Assert.True(sessions.GetProperty("sampled").GetBoolean());
        Assert.Equal(600, sessions.GetProperty("maxSessions").GetInt32());
        Assert.Equal(total, sessions.GetProperty("population").GetProperty("sessions").GetInt64());
        Assert.Equal(600, sessions.GetProperty("used").GetProperty("sessions").GetInt64());
        var split = metrics.RootElement.GetProperty("runs")[0].GetProperty("sessions");
        Assert.Equal(600, split.GetProperty("train").GetInt32() + split.GetProperty("validation").GetInt32() + split.GetProperty("test").GetInt32());
        Assert.Contains("used a sample of 600 sessions", File.ReadAllText(Path.Combine(output, "report.html")));
    }

    [Fact]
    public void InspectPrintsTheSessionCountsOfTheWholeLog()
    {
        var all = AllSessions();
        var console = new RecordingConsole();

        Assert.Equal(ExitCodes.Success, InspectCommand.Run(console, [new FileInfo(_log)], TimeSpan.FromMinutes(30)));

        Assert.Contains($"sessions:           {all.Count:N0}", console.Output);
        Assert.Contains($"with a purchase:    {all.Count(s => s.HasPurchase):N0}", console.Output);
        Assert.Contains("peak memory", console.Output);
    }

    [Fact]
    public void InspectOfAMissingFileExitsWithBadInput()
    {
        var console = new RecordingConsole();
        Assert.Equal(ExitCodes.BadInput, InspectCommand.Run(console, [new FileInfo(Path.Combine(_root, "nope.csv"))], TimeSpan.FromMinutes(30)));
        Assert.Contains("does not exist", console.Output);
    }
}
