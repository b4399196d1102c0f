using System.IO.Compression;
using System.Text.Json;
using MicroMoment.Cli.Commands;
using MicroMoment.Data;
using MicroMoment.Scoring;
using MicroMoment.Sessions;
using MicroMoment.Training;

namespace MicroMoment.Cli.Tests;

public sealed class ClicksOnlyTrainingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mm-clicks-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>&lt;root&gt;/../shared/data/yoochoose/yoochoose-clicks-100k_train_full.txt.gz.</summary>
    private static string YoochoosePath => MicroMoment.Testing.RepositoryLayout.SharedData("yoochoose/yoochoose-clicks-100k_train_full.txt.gz", "the clicks-only training test");

    /// <summary>The first <paramref name="rows"/> clicks of the shared YOOCHOOSE sample (header kept), as a plain TSV.</summary>
    private string Slice(int rows)
    {
        var slice = Path.Combine(_root, "yoochoose-slice.txt");
        using var reader = new StreamReader(new GZipStream(File.OpenRead(YoochoosePath), CompressionMode.Decompress));
        using var writer = new StreamWriter(slice);
        for (var i = 0; i <= rows && reader.ReadLine() is { } line; i++) writer.WriteLine(line);
        return slice;
    }

    [Fact]
    public void TrainOnAClicksOnlyLogWritesAModelWithTheExitHeadOnlyThatLoadsAndScores()
    {
        var slice = Slice(8_000);
        var output = Path.Combine(_root, "train");
        var options = CliFixture.SmallOptions();
        options.Repeats = 1;
        options.RandomSplits = false;
        var console = new RecordingConsole();

        var code = TrainCommand.Run(console, [new FileInfo(slice)], new DirectoryInfo(output), options, "micromoment train (clicks-only test)");

        Assert.True(code == ExitCodes.Success, console.Output);
        Assert.Contains("Buy head: untrainable", console.Output);
        var model = MicroMomentModel.Load(Path.Combine(output, "model.mmm"));
        Assert.Equal(ModelHeads.Exit, model.Heads);
        Assert.False(model.HasBuyHead);
        Assert.True(float.IsNaN(model.BuyThreshold));
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "metrics.json"))))
        {
            Assert.Equal(["exit"], metrics.RootElement.GetProperty("heads").EnumerateArray().Select(h => h.GetString()));
            var exitAuc = metrics.RootElement.GetProperty("summary").GetProperty("time").GetProperty(ExperimentRunner.Lstm).GetProperty("exitRocAuc").GetProperty("mean").GetDouble();
            Assert.InRange(exitAuc, 0.5, 1);
        }
        Assert.Contains("untrainable and skipped", File.ReadAllText(Path.Combine(output, "report.html")));

        // The saved model scores the log event by event: no buy probability, an exit probability, never buy intent.
        var sessions = Sessionizer.Sessionize(EventLogReader.Read(slice, new IngestReport()), SessionizerOptions.Default);
        var scores = OfflineScorer.Score(model, sessions).SelectMany(s => s.Scores).ToArray();
        Assert.Equal(8_000, scores.Length);
        Assert.All(scores, score =>
        {
            Assert.True(float.IsNaN(score.BuyProbability));
            Assert.InRange(score.ExitProbability, 0f, 1f);
            Assert.NotEqual(Intent.Buy, score.Intent);
        });
        Assert.Contains(scores, s => s.Intent == Intent.Exit);
        Assert.Contains(scores, s => s.Intent != Intent.Exit); // the head tells events apart: not one verdict for all

        // eval reads the model back and measures the head it has; the buy column of scores.csv stays empty.
        var evalConsole = new RecordingConsole();
        Assert.Equal(ExitCodes.Success, EvalCommand.Run(evalConsole, new FileInfo(Path.Combine(output, "model.mmm")), [new FileInfo(slice)], new DirectoryInfo(Path.Combine(_root, "eval")), CensoringPolicy.ObservedAsNegative));
        var row = File.ReadLines(Path.Combine(_root, "eval", "scores.csv")).Skip(1).First().Split(',');
        Assert.Equal(string.Empty, row[7]);
        // The exit column holds the model's exit score of an event of the log, as the scorer above gave it.
        var exit = float.Parse(row[8], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains(scores, s => Math.Abs(s.ExitProbability - exit) <= 1e-4f);
    }
}
