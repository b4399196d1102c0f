using System.Text.Json;
using MicroMoment.Cli.Commands;
using MicroMoment.Scoring;
using MicroMoment.Training;

namespace MicroMoment.Cli.Tests;

public class TrainAndEvalTests(CliFixture fixture) : IClassFixture<CliFixture>
{
    [Fact]
    public void TrainWritesModelReportAndMetrics()
    {
        Assert.True(fixture.ExitCode == ExitCodes.Success, fixture.Console.Output);
        Assert.True(File.Exists(fixture.ModelPath));
        var html = File.ReadAllText(Path.Combine(fixture.TrainOutput, "report.html"));
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("src=\"http", html);
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture.TrainOutput, "metrics.json")));
        Assert.True(metrics.RootElement.TryGetProperty("runs", out var runs));
        Assert.Equal(4, runs.GetArrayLength());
    }

    [Fact]
    public void TrainMeasuresGradientBoostedTreesBesideEveryOtherModelOnBothHeadsAndPairsThemWithTheLstm()
    {
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture.TrainOutput, "metrics.json")));
        var root = metrics.RootElement;
        Assert.Equal([ExperimentRunner.Lstm, "gradient-boosted-trees", ExperimentRunner.Logistic, ExperimentRunner.Rules, ExperimentRunner.Majority],
            root.GetProperty("models").EnumerateArray().Select(m => m.GetString()));
        foreach (var kind in new[] { "time", "stratifiedRandom" })
        {
            var gbdt = root.GetProperty("summary").GetProperty(kind).GetProperty("gradient-boosted-trees");
            foreach (var metric in new[] { "rocAuc", "prAuc", "rocAucNoCart", "logLoss", "calibrationError", "earlyDetectionRate", "falseAlarmRate", "exitRocAuc", "exitPrAuc" })
                Assert.InRange(gbdt.GetProperty(metric).GetProperty("mean").GetDouble(), 0, 10);
        }
        var paired = root.GetProperty("headline").GetProperty("pairedComparisons").EnumerateArray()
            .Where(c => c.GetProperty("peer").GetString() == "gradient-boosted-trees").ToList();
        Assert.Equal(["buy", "exit"], paired.Select(c => c.GetProperty("head").GetString()));
        Assert.All(paired, c => Assert.Contains(c.GetProperty("verdict").GetString(), new[] { "beats", "level with", "behind" }));

        var html = File.ReadAllText(Path.Combine(fixture.TrainOutput, "report.html"));
        Assert.Contains("The attention-LSTM against each peer (paired)", html);
        Assert.Contains("Exit-head curves", html);
        Assert.Contains("largest split gains", html);
        Assert.True(html.Split("gradient-boosted-trees").Length > 8, "Every table and curve of the report lists the trees.");
    }

    [Fact]
    public void TrainedModelLoadsAndDescribesItself()
    {
        var model = MicroMomentModel.Load(fixture.ModelPath);
        Assert.Equal(8, model.Network.Shape.HiddenSize);
        Assert.Contains("micromoment train (test)", model.Info.Command);
        Assert.InRange(model.BuyThreshold, 0f, 1f);
    }

    [Fact]
    public void TrainingTwiceWithTheSameSeedGivesTheSameModelBytes()
    {
        var output = Path.Combine(fixture.Root, "again");
        var console = new RecordingConsole();
        Assert.Equal(ExitCodes.Success, TrainCommand.Run(console, [new FileInfo(fixture.LogPath)], new DirectoryInfo(output), CliFixture.SmallOptions(), "micromoment train (test)"));
        Assert.Equal(File.ReadAllBytes(fixture.ModelPath), File.ReadAllBytes(Path.Combine(output, "model.mmm")));
    }

    [Fact]
    public void EvalScoresEveryEventAndAgreesWithTheStreamingScorer()
    {
        var output = Path.Combine(fixture.Root, "eval");
        var console = new RecordingConsole();
        Assert.Equal(ExitCodes.Success, EvalCommand.Run(console, new FileInfo(fixture.ModelPath), [new FileInfo(fixture.LogPath)], new DirectoryInfo(output), CensoringPolicy.ObservedAsNegative));
        var rows = File.ReadAllLines(Path.Combine(output, "scores.csv"));
        var events = File.ReadAllLines(fixture.LogPath).Length - 1;
        Assert.Equal(events, rows.Length - 1);
        Assert.Contains("ROC-AUC", console.Output);
    }

    [Fact]
    public void EvalWithCorruptModelExitsWithBadModelAndNamesTheProblem()
    {
        var corrupt = Path.Combine(fixture.Root, "corrupt.mmm");
        var bytes = File.ReadAllBytes(fixture.ModelPath);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(corrupt, bytes);
        var console = new RecordingConsole();
        Assert.Equal(ExitCodes.BadModel, EvalCommand.Run(console, new FileInfo(corrupt), [new FileInfo(fixture.LogPath)], new DirectoryInfo(Path.Combine(fixture.Root, "x")), CensoringPolicy.ObservedAsNegative));
        Assert.Contains("checksum", console.Output);
    }

    [Fact]
    public void TrainOnAFileWithNoUsableRowsExitsWithBadInputAndSaysWhy()
    {
        var bad = Path.Combine(fixture.Root, "bad.csv");
        File.WriteAllText(bad, "event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session\nnot-a-time,view,1,2,,,1.0,5,s\n");
        var console = new RecordingConsole();
        Assert.Equal(ExitCodes.BadInput, TrainCommand.Run(console, [new FileInfo(bad)], new DirectoryInfo(Path.Combine(fixture.Root, "y")), CliFixture.SmallOptions(), "t"));
        Assert.Contains("line 2", console.Output);
    }
}
