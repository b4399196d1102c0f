using System.Globalization;
using MicroMoment.Data;
using MicroMoment.Reporting;
using MicroMoment.Scoring;

namespace MicroMoment.Training;

/// <summary>Writes report.html and eval.json for <c>micromoment eval</c>.</summary>
public static class EvaluationReport
{
    /// <summary>Writes both files into <paramref name="directory"/>.</summary>
    public static void Write(MicroMomentModel model, ModelEvaluationRun run, IngestReport ingest, string directory)
    {
        Directory.CreateDirectory(directory);
        var m = run.Buy;
        MetricsJson.Write(Path.Combine(directory, "eval.json"), new
        {
            model = model.Info.Version,
            heads = MicroMomentModel.HeadNames(model.Heads),
            modelThresholds = new { buy = model.BuyThreshold, exit = model.ExitThreshold },
            data = new { rowsRead = ingest.RowsRead, rowsAccepted = ingest.RowsAccepted, sessions = run.Scored.Length, events = run.Scored.Sum(s => s.Scores.Length) },
            buyPrefixes = new { count = run.BuyPrefixes.Count, positives = run.BuyPrefixes.Positives },
            metrics = ExperimentReport.MetricsOf(m),
            intentShares = new { buy = run.IntentShares.Buy, research = run.IntentShares.Research, exit = run.IntentShares.Exit },
        });

        var report = new HtmlReport("MicroMoment: model evaluation");
        report.Section("Summary");
        report.Paragraph(F($"Model {model.Info.Version} ({model.Info.TrainedOn}) scored {run.Scored.Sum(s => s.Scores.Length):N0} events of {run.Scored.Length:N0} sessions event by event, with the streaming scorer a live user grain runs."));
        report.Paragraph("If this log overlaps the model's training data, these numbers are optimistic: the honest ones are in the training report's held-out test split.");
        if (!model.HasBuyHead)
            report.Paragraph("This model has no buy head (its training log held no purchases): it scores no buy probability, so every buy metric reads n/a and no event reads as buy intent.");
        if (!model.HasExitHead)
            report.Paragraph("This model has no exit head: it scores no exit probability, so the exit metrics read n/a.");
        report.Table(["metric", "value"],
        [
            ["buy prefixes (positives)", F($"{run.BuyPrefixes.Count:N0} ({run.BuyPrefixes.Positives:N0})")],
            ["ROC-AUC", ReportFormat.Number(m.RocAuc)],
            ["PR-AUC", ReportFormat.Number(m.PrAuc)],
            ["ROC-AUC, prefixes without a cart", ReportFormat.Number(m.RocAucNoCart)],
            ["log loss", ReportFormat.Number(m.LogLoss)],
            ["calibration error (ECE)", ReportFormat.Number(m.CalibrationError)],
            [F($"precision / recall / F1 @ {m.Threshold:0.###}"), F($"{ReportFormat.Number(m.Confusion.Precision)} / {ReportFormat.Number(m.Confusion.Recall)} / {ReportFormat.Number(m.Confusion.F1)}")],
            ["purchasing sessions flagged before purchase", ReportFormat.Percent(m.EarlyDetection.DetectionRate)],
            ["median lead (events / seconds)", F($"{ReportFormat.Number(m.EarlyDetection.MedianLeadEvents)} / {ReportFormat.Number(m.EarlyDetection.MedianLeadSeconds)}")],
            ["false-alarm rate (never-buying sessions)", ReportFormat.Percent(m.EarlyDetection.FalseAlarmRate)],
            ["exit head ROC-AUC / PR-AUC", F($"{ReportFormat.Number(m.ExitRocAuc)} / {ReportFormat.Number(m.ExitPrAuc)}")],
        ]);
        if (model.HasBuyHead)
        {
            report.Section("Curves");
            report.Figure(ReportCharts.Roc([new NamedCurve("attention-lstm", m.RocCurve)]), "ROC curve of the buy head.");
            report.Figure(ReportCharts.PrecisionRecall([new NamedCurve("attention-lstm", m.PrCurve)], run.BuyPrefixes.Positives / (double)Math.Max(1, run.BuyPrefixes.Count)), "Precision–recall of the buy head.");
            report.Figure(ReportCharts.Calibration([new NamedReliability("attention-lstm", m.Reliability)]), "Calibration of the buy probabilities.");
            report.Figure(ReportCharts.ConfusionMatrix(m.Confusion, F($"At the model's threshold {m.Threshold:0.###}")), "Confusion matrix at the model's threshold.");
        }
        report.Figure(SvgChart.Bar(["buy", "research", "exit"], [new BarSeries("events", [run.IntentShares.Buy, run.IntentShares.Research, run.IntentShares.Exit])],
            new ChartOptions { Title = "Intent of scored events", YLabel = "share of events", YMin = 0, YMax = 1, ValueFormat = "P0" }), "Share of events read as buy, research and exit intent.");
        report.Section("Data");
        report.Preformatted(ingest.Summary());
        report.Save(Path.Combine(directory, "report.html"));
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
