using System.Globalization;
using MicroMoment.Training;
using Spectre.Console;

namespace MicroMoment.Cli;

/// <summary>Prints the per-model summary of a training run.</summary>
internal static class ResultTable
{
    public static void Print(IAnsiConsole console, ExperimentResult result)
    {
        foreach (var kind in new[] { SplitKind.Time, SplitKind.StratifiedRandom })
        {
            if (!result.Of(kind).Any()) continue;
            var table = new Table().Title($"{(kind == SplitKind.Time ? "Time split (headline)" : "Random 80/20 (paper)")}: mean±sd, {result.Of(kind).Count()} repeats");
            table.AddColumns("model", "ROC-AUC", "PR-AUC", "AUC no cart", "log loss", "F1");
            foreach (var model in ExperimentRunner.ModelNames)
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
        var headline = result.Headline;
        var speeds = headline.Training.Epochs.Select(e => e.EventsPerSecond).Order().ToArray();
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"Training speed (headline split): median {speeds[speeds.Length / 2]:N0} events/s per epoch over {speeds.Length} epochs; best epoch {headline.Training.BestEpoch}."));
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"Headline model (time split, seed {headline.Seed}): test ROC-AUC {headline.Models[ExperimentRunner.Lstm].RocAuc:0.000} (95% session-bootstrap interval {headline.LstmAucInterval.Low:0.000}-{headline.LstmAucInterval.High:0.000})."));
    }

    private static string Format(Evaluation.Summary s) =>
        double.IsNaN(s.Mean) ? "n/a"
        : double.IsNaN(s.StandardDeviation) ? string.Create(CultureInfo.InvariantCulture, $"{s.Mean:0.000}")
        : string.Create(CultureInfo.InvariantCulture, $"{s.Mean:0.000}±{s.StandardDeviation:0.000}");
}
