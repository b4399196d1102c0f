using System.Globalization;
using MicroMoment.Scoring;
using MicroMoment.Training;
using Spectre.Console;

namespace MicroMoment.Cli;

/// <summary>Prints the per-model summary of a training run.</summary>
internal static class ResultTable
{
    public static void Print(IAnsiConsole console, ExperimentResult result)
    {
        var kinds = new[] { SplitKind.Time, SplitKind.StratifiedRandom }.Where(k => result.Of(k).Any()).ToList();
        if ((result.Heads & ModelHeads.Buy) != 0)
        {
            foreach (var kind in kinds)
            {
                var table = new Table().Title($"Buy head, {KindName(kind)}: mean±sd, {result.Of(kind).Count()} repeats");
                table.AddColumns("model", "ROC-AUC", "PR-AUC", "AUC no cart", "log loss", "F1");
                foreach (var model in result.ModelNames)
                {
                    table.AddRow(
                        model,
                        Format(result.Summarize(kind, model, m => m.RocAuc)),
                        Format(result.Summarize(kind, model, m => m.PrAuc)),
                        Format(result.Summarize(kind, model, m => m.RocAucNoCart)),
                        Format(result.Summarize(kind, model, m => m.LogLoss)),
                        Format(result.Summarize(kind, model, m => m.Confusion.F1)));
                }
                console.Write(table);
            }
        }
        else
        {
            console.MarkupLine("[yellow]Buy head: untrainable (the training sessions hold no purchase) and skipped; the model has the exit head only.[/]");
        }
        if ((result.Heads & ModelHeads.Exit) != 0)
        {
            var exit = new Table().Title("Exit head: mean±sd over repeats (n/a where the test sessions hold no known exit)");
            exit.AddColumn("model");
            foreach (var kind in kinds) exit.AddColumns($"{KindName(kind)} ROC-AUC", $"{KindName(kind)} PR-AUC");
            foreach (var model in result.ModelNames)
                exit.AddRow([model, .. kinds.SelectMany(k => new[] { Format(result.Summarize(k, model, m => m.ExitRocAuc)), Format(result.Summarize(k, model, m => m.ExitPrAuc)) })]);
            console.Write(exit);
        }
        foreach (var head in new[] { ModelHeads.Buy, ModelHeads.Exit })
        {
            var (run, comparisons) = ExperimentReport.ComparedRun(result, head);
            if (run is null) continue;
            var detail = string.Join(", ", comparisons.Select(c => string.Create(CultureInfo.InvariantCulture,
                $"{c.Peer} {c.Difference.Estimate:+0.000;-0.000} [{c.Difference.Lower:+0.000;-0.000}, {c.Difference.Upper:+0.000;-0.000}]")));
            console.MarkupLineInterpolated($"{ExperimentReport.PairedSentence(head, comparisons)} [grey]({(run.Kind == SplitKind.Time ? "time" : "random")} split, seed {run.Seed}; {detail})[/]");
        }
        var headline = result.Headline;
        var speeds = headline.Training.Epochs.Select(e => e.EventsPerSecond).Order().ToArray();
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"Training speed (headline split): median {speeds[speeds.Length / 2]:N0} events/s per epoch over {speeds.Length} epochs; best epoch {headline.Training.BestEpoch}."));
        if (headline.Model.HasBuyHead)
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Headline model (time split, seed {headline.Seed}): test ROC-AUC {headline.Models[ExperimentRunner.Lstm].RocAuc:0.000} (95% session-bootstrap interval {headline.LstmAucInterval.Low:0.000}-{headline.LstmAucInterval.High:0.000})."));
        else
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Headline model (time split, seed {headline.Seed}): exit head only; exit test ROC-AUC {headline.Models[ExperimentRunner.Lstm].ExitRocAuc:0.000}."));
    }

    private static string KindName(SplitKind kind) => kind == SplitKind.Time ? "time split" : "random 80/20";

    private static string Format(Evaluation.Summary s) =>
        double.IsNaN(s.Mean) ? "n/a"
        : double.IsNaN(s.StandardDeviation) ? string.Create(CultureInfo.InvariantCulture, $"{s.Mean:0.000}")
        : string.Create(CultureInfo.InvariantCulture, $"{s.Mean:0.000}±{s.StandardDeviation:0.000}");
}
