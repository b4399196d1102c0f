using System.CommandLine;
using System.Globalization;
using MicroMoment.Artifacts;
using MicroMoment.Data;
using MicroMoment.Events;
using MicroMoment.Scoring;
using MicroMoment.Training;
using Spectre.Console;

namespace MicroMoment.Cli.Commands;

/// <summary><c>micromoment eval</c>: scores a log event by event with a saved model (the live path) and
/// writes per-event scores, metrics and a report.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model") { Description = "Model file written by 'train'", Required = true };
        var data = CommonOptions.Data();
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder for scores.csv, eval.json, report.html", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("out", "eval")) };
        var censored = new Option<CensoringPolicy>("--censored") { Description = "Buy labels of sessions cut off by the end of the log", DefaultValueFactory = _ => CensoringPolicy.ObservedAsNegative };
        var acceptPartial = CommonOptions.AcceptPartial();
        var command = new Command("eval", "Score a log with a saved model, event by event, and measure it");
        foreach (var o in new Option[] { model, data, output, censored, acceptPartial }) command.Options.Add(o);
        command.SetAction((ParseResult parse, CancellationToken ct) =>
            Task.FromResult(Run(AnsiConsole.Console, parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(output)!, parse.GetValue(censored), parse.GetValue(acceptPartial))));
        return command;
    }

    internal static int Run(IAnsiConsole console, FileInfo modelFile, IReadOnlyList<FileInfo> files, DirectoryInfo outDir, CensoringPolicy censoring, bool acceptPartial = false)
    {
        MicroMomentModel model;
        try
        {
            model = MicroMomentModel.Load(modelFile.FullName);
        }
        catch (Exception ex) when (ex is ModelFormatException or FileNotFoundException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.BadModel;
        }
        console.MarkupLineInterpolated($"Model: [bold]{model}[/]");
        try
        {
            var (sample, ingest) = DataInput.Load(files, model.SessionTimeout, console, acceptPartial: acceptPartial);
            var sessions = sample.Sessions;
            var run = SpectreProgress.Run(console, progress =>
                ModelEvaluator.Evaluate(model, sessions, censoring, 2, new Progress<double>(f => progress.Report(new PipelineProgress("scoring", "events", f)))));
            outDir.Create();
            WriteScores(Path.Combine(outDir.FullName, "scores.csv"), run.Scored);
            EvaluationReport.Write(model, run, ingest, outDir.FullName);
            Print(console, run);
            console.MarkupLineInterpolated($"Scores:  [bold]{Path.Combine(outDir.FullName, "scores.csv")}[/]");
            console.MarkupLineInterpolated($"Report:  [bold]{Path.Combine(outDir.FullName, "report.html")}[/]");
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is NoUsableRowsException or IncompleteInputException or FileNotFoundException or InvalidDataException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.BadInput;
        }
    }

    /// <summary>Writes one row per event: who, when, what, and the scores after it.</summary>
    internal static void WriteScores(string path, IEnumerable<ScoredSession> scored)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("tenant,user_id,session,position,event_time,event_type,product_id,buy_probability,exit_probability,cluster,intent");
        foreach (var s in scored.OrderBy(s => s.Session.Tenant, StringComparer.Ordinal).ThenBy(s => s.Session.UserId, StringComparer.Ordinal).ThenBy(s => s.Session.Start))
        {
            for (var t = 0; t < s.Scores.Length; t++)
            {
                var e = s.Session.Events[t];
                var score = s.Scores[t];
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{Csv(e.Tenant)},{Csv(e.UserId)},{s.Session.Id},{t},{e.Timestamp:yyyy-MM-dd HH:mm:ss},{EventTypes.Name(e.Type)},{e.ProductId},{Probability(score.BuyProbability)},{Probability(score.ExitProbability)},{score.Cluster},{score.Intent.ToString().ToLowerInvariant()}"));
            }
        }
    }

    /// <summary>A probability as written in scores.csv: round-trip digits, or an empty field when the model has no such head.</summary>
    private static string Probability(float value) => float.IsNaN(value) ? string.Empty : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Csv(string value) => value.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;

    private static void Print(IAnsiConsole console, ModelEvaluationRun run)
    {
        var m = run.Buy;
        var table = new Table().Title(run.BuyPrefixes.Count > 0
            ? $"Buy head on {run.BuyPrefixes.Count:N0} prefixes ({run.BuyPrefixes.Positives:N0} before a purchase)"
            : "No buy prefixes measured (the model has no buy head, or the log none)");
        table.AddColumns("metric", "value");
        void Row(string name, double value) => table.AddRow(name, double.IsNaN(value) ? "n/a" : value.ToString("0.000", CultureInfo.InvariantCulture));
        Row("ROC-AUC", m.RocAuc);
        Row("PR-AUC", m.PrAuc);
        Row("ROC-AUC, prefixes without a cart", m.RocAucNoCart);
        Row("log loss", m.LogLoss);
        Row("calibration error (ECE)", m.CalibrationError);
        Row($"precision @ {m.Threshold:0.###}", m.Confusion.Precision);
        Row($"recall @ {m.Threshold:0.###}", m.Confusion.Recall);
        Row("purchasing sessions flagged early", m.EarlyDetection.DetectionRate);
        Row("false-alarm rate (never-buying sessions)", m.EarlyDetection.FalseAlarmRate);
        Row("exit head ROC-AUC", m.ExitRocAuc);
        Row("exit head PR-AUC", m.ExitPrAuc);
        console.Write(table);
    }
}
