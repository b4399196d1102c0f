using System.CommandLine;
using MicroMoment.Data;
using MicroMoment.Gbdt;
using MicroMoment.Training;
using Spectre.Console;

namespace MicroMoment.Cli.Commands;

/// <summary><c>micromoment train</c>: trains the model and its baselines on repeated splits and writes the
/// model file, report.html and metrics.json.</summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder for model.mmm, report.html, metrics.json", Required = true };
        var hidden = new Option<int>("--hidden") { Description = "LSTM hidden size", DefaultValueFactory = _ => 64 };
        var attention = new Option<int>("--attention") { Description = "Attention projection size", DefaultValueFactory = _ => 32 };
        var repeats = new Option<int>("--repeats") { Description = "Repeated splits per protocol (mean and spread)", DefaultValueFactory = _ => 5 };
        var seed = new Option<ulong>("--seed") { Description = "Base seed (repeat r uses seed + r)", DefaultValueFactory = _ => 1UL };
        var epochs = new Option<int>("--epochs") { Description = "Maximum epochs (early stopping on validation loss)", DefaultValueFactory = _ => 20 };
        var noRandom = new Option<bool>("--no-random-splits") { Description = "Skip the paper's stratified random 80/20 protocol" };
        var noGbdt = new Option<bool>("--no-gbdt") { Description = "Skip the gradient-boosted-trees peer (LightGBM) of both heads" };
        var ensemble = new Option<bool>("--ensemble") { Description = "Also measure the attention-LSTM plus each peer (summed calibrated log-odds); report only, the served model stays the LSTM" };
        var censored = new Option<CensoringPolicy>("--censored") { Description = "Buy labels of sessions cut off by the end of the log", DefaultValueFactory = _ => CensoringPolicy.ObservedAsNegative };
        var timeout = CommonOptions.SessionTimeoutMinutes();
        var acceptPartial = CommonOptions.AcceptPartial();
        var maxSessions = new Option<int>("--max-sessions")
        {
            Description = "Train and evaluate on at most this many sessions: larger logs are sampled (whole sessions, stable hash); 0 uses every session",
            DefaultValueFactory = _ => ExperimentOptions.DefaultMaxSessions,
        };

        var command = new Command("train", "Train the attention-LSTM and its peers (gradient-boosted trees, logistic regression, rules, majority class); write model, report and metrics");
        foreach (var o in new Option[] { data, output, hidden, attention, repeats, seed, epochs, noRandom, noGbdt, ensemble, censored, timeout, maxSessions, acceptPartial }) command.Options.Add(o);
        command.SetAction((ParseResult parse, CancellationToken ct) =>
        {
            var console = AnsiConsole.Console;
            var options = new ExperimentOptions
            {
                HiddenSize = parse.GetValue(hidden),
                AttentionSize = parse.GetValue(attention),
                Repeats = parse.GetValue(repeats),
                Seed = parse.GetValue(seed),
                RandomSplits = !parse.GetValue(noRandom),
                Censoring = parse.GetValue(censored),
                SessionTimeout = TimeSpan.FromMinutes(parse.GetValue(timeout)),
                MaxSessions = parse.GetValue(maxSessions) is 0 ? null : parse.GetValue(maxSessions),
                Peers = parse.GetValue(noGbdt) ? [] : [new LightGbmPeer()],
                EnsembleWithPeers = parse.GetValue(ensemble),
            };
            options.Trainer = options.Trainer with { Epochs = parse.GetValue(epochs) };
            var files = parse.GetValue(data)!;
            var outDir = parse.GetValue(output)!;
            return Task.FromResult(Run(console, files, outDir, options, "micromoment " + string.Join(' ', parse.Tokens.Select(t => t.Value)), parse.GetValue(acceptPartial)));
        });
        return command;
    }

    internal static int Run(IAnsiConsole console, IReadOnlyList<FileInfo> files, DirectoryInfo outDir, ExperimentOptions options, string commandLine, bool acceptPartial = false)
    {
        try
        {
            options.Validate();
            var (sample, ingest) = DataInput.Load(files, options.SessionTimeout, console, options.MaxSessions, acceptPartial);
            var trainedOn = $"{string.Join(", ", files.Select(f => f.Name))}: {ingest.RowsAccepted:N0} events, {sample.Population.Sessions:N0} sessions" +
                (sample.IsSampled ? $" (sampled {sample.Sessions.Count:N0} sessions, {sample.Events:N0} events)" : string.Empty);
            var result = SpectreProgress.Run(console, progress => new ExperimentRunner(options, progress).Run(sample, trainedOn, commandLine));
            outDir.Create();
            var modelPath = Path.Combine(outDir.FullName, "model.mmm");
            result.Headline.Model.Save(modelPath);
            ExperimentReport.Write(result, ingest, outDir.FullName);
            ResultTable.Print(console, result);
            console.MarkupLineInterpolated($"Model:   [bold]{modelPath}[/]");
            console.MarkupLineInterpolated($"Report:  [bold]{Path.Combine(outDir.FullName, "report.html")}[/]");
            console.MarkupLineInterpolated($"Metrics: [bold]{Path.Combine(outDir.FullName, "metrics.json")}[/]");
            console.MarkupLineInterpolated($"Peak memory: {DataInput.PeakMemory()}");
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is NoUsableRowsException or IncompleteInputException or FileNotFoundException or InvalidDataException or ArgumentException or PlatformNotSupportedException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.BadInput;
        }
    }
}
