using System.Globalization;
using MicroMoment.Data;
using MicroMoment.Evaluation;
using MicroMoment.Features;
using MicroMoment.Reporting;
using MicroMoment.Scoring;
using MicroMoment.Sessions;

namespace MicroMoment.Training;

/// <summary>Writes report.html (self-contained, inline SVG) and metrics.json for a training run.</summary>
public static class ExperimentReport
{
    /// <summary>Writes both files into <paramref name="directory"/>.</summary>
    public static void Write(ExperimentResult result, IngestReport ingest, string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "report.html"), Render(result, ingest));
        MetricsJson.Write(Path.Combine(directory, "metrics.json"), Metrics(result, ingest));
    }

    /// <summary>The machine-readable metrics of every split and their summaries.</summary>
    public static object Metrics(ExperimentResult result, IngestReport ingest) => new
    {
        data = new
        {
            rowsRead = ingest.RowsRead,
            rowsAccepted = ingest.RowsAccepted,
            rowsRejected = ingest.RowsRead - ingest.RowsAccepted,
            sessions = new
            {
                sampled = result.IsSampled,
                maxSessions = result.Options.MaxSessions,
                method = result.IsSampled ? SessionSampler.Method : null,
                population = result.Population,
                used = result.Used,
            },
        },
        options = new
        {
            result.Options.HiddenSize,
            result.Options.AttentionSize,
            result.Options.Repeats,
            result.Options.Seed,
            result.Options.RandomSplits,
            result.Options.MaxSessions,
            censoring = result.Options.Censoring.ToString(),
            sessionTimeoutMinutes = result.Options.SessionTimeout.TotalMinutes,
            trainer = result.Options.Trainer,
            peers = result.Options.Peers.Select(p => p.Name),
        },
        models = result.ModelNames,
        heads = ModelMicroHeads(result.Heads),
        summary = Enum.GetValues<SplitKind>().Where(k => result.Of(k).Any()).ToDictionary(
            k => k.ToString(),
            k => result.ModelNames.ToDictionary(m => m, m => new
            {
                rocAuc = result.Summarize(k, m, e => e.RocAuc),
                prAuc = result.Summarize(k, m, e => e.PrAuc),
                rocAucNoCart = result.Summarize(k, m, e => e.RocAucNoCart),
                logLoss = result.Summarize(k, m, e => e.LogLoss),
                calibrationError = result.Summarize(k, m, e => e.CalibrationError),
                f1 = result.Summarize(k, m, e => e.Confusion.F1),
                earlyDetectionRate = result.Summarize(k, m, e => e.EarlyDetection.DetectionRate),
                falseAlarmRate = result.Summarize(k, m, e => e.EarlyDetection.FalseAlarmRate),
                exitRocAuc = result.Summarize(k, m, e => e.ExitRocAuc),
                exitPrAuc = result.Summarize(k, m, e => e.ExitPrAuc),
            })),
        headline = new
        {
            result.Headline.Seed,
            heads = ModelMicroHeads(result.Headline.Heads),
            pairedComparisons = result.Headline.PairedComparisons.Select(PairedOf),
            lstmRocAucInterval95 = new { low = result.Headline.LstmAucInterval.Low, high = result.Headline.LstmAucInterval.High },
            exitRocAuc = result.Headline.Models[ExperimentRunner.Lstm].ExitRocAuc,
            exitPrAuc = result.Headline.Models[ExperimentRunner.Lstm].ExitPrAuc,
            buyThreshold = result.Headline.Model.BuyThreshold,
            exitThreshold = result.Headline.Model.ExitThreshold,
            featureSchemaHash = result.Headline.Model.Features.Schema.Hash,
        },
        runs = result.Runs.Select(r => new
        {
            kind = r.Kind.ToString(),
            r.Seed,
            sessions = new { train = r.Sessions.Train, validation = r.Sessions.Validation, test = r.Sessions.Test },
            heads = ModelMicroHeads(r.Heads),
            buyPrefixes = new { train = r.BuyPrefixes.Train, validation = r.BuyPrefixes.Validation, test = r.BuyPrefixes.Test, testPositives = r.BuyPrefixes.TestPositives },
            exitPrefixes = new { train = r.ExitPrefixes.Train, validation = r.ExitPrefixes.Validation, test = r.ExitPrefixes.Test, testPositives = r.ExitPrefixes.TestPositives },
            pairedComparisons = r.PairedComparisons.Select(PairedOf),
            peers = r.PeerDescriptions,
            lstmRocAucInterval95 = new { low = r.LstmAucInterval.Low, high = r.LstmAucInterval.High },
            notes = r.Notes,
            models = r.Models.Values.Select(MetricsOf),
            intentShares = new { buy = r.IntentShares.Buy, research = r.IntentShares.Research, exit = r.IntentShares.Exit },
            training = new { r.Training.BestEpoch, r.Training.StoppedEarly, epochs = r.Training.Epochs },
            clustering = new
            {
                chosenK = r.Clustering.ChosenK,
                rule = r.Clustering.SelectionRule,
                sweep = r.Clustering.Sweep,
                clusters = r.Clustering.Clusters.Select(c => new { c.Cluster, c.Name, c.Size, c.PurchaseRate, c.MeanLength }),
            },
        }),
    };

    private static IEnumerable<string> ModelMicroHeads(ModelHeads heads) => MicroMomentModel.HeadNames(heads);

    private static object PairedOf(PairedComparison c) => new
    {
        head = MicroMomentModel.HeadNames(c.Head).Single(),
        c.Peer,
        c.LstmRocAuc,
        c.PeerRocAuc,
        difference = c.Difference.Estimate,
        low = c.Difference.Lower,
        high = c.Difference.Upper,
        validResamples = c.Difference.ValidIterations,
        verdict = c.Verdict,
    };

    /// <summary>The machine-readable numbers of one model's evaluation (curves left out).</summary>
    internal static object MetricsOf(ModelEvaluation m) => new
    {
        m.Model,
        m.RocAuc,
        m.PrAuc,
        m.LogLoss,
        m.CalibrationError,
        m.Threshold,
        accuracy = m.Confusion.Accuracy,
        precision = m.Confusion.Precision,
        recall = m.Confusion.Recall,
        f1 = m.Confusion.F1,
        confusion = m.Confusion,
        m.RocAucNoCart,
        m.RocAucByPrefixLength,
        earlyDetection = m.EarlyDetection,
        m.ExitRocAuc,
        m.ExitPrAuc,
    };

    private static string Render(ExperimentResult result, IngestReport ingest)
    {
        var headline = result.Headline;
        var lstm = headline.Models[ExperimentRunner.Lstm];
        var hasBuy = (result.Heads & ModelHeads.Buy) != 0;
        var hasExit = (result.Heads & ModelHeads.Exit) != 0;
        var kinds = Enum.GetValues<SplitKind>().Where(k => result.Of(k).Any()).ToList();
        var report = new HtmlReport("MicroMoment: attention-LSTM micro-moment model report");

        report.Section("Summary");
        if (headline.Model.HasBuyHead)
            report.Paragraph(F($"Headline: the time split (train on earlier sessions, test on the latest {result.Options.TimeTestShare:P0}). The attention-LSTM's test ROC-AUC on buy prefixes is {ReportFormat.Number(lstm.RocAuc)} (95% session-bootstrap interval {ReportFormat.Number(headline.LstmAucInterval.Low)}–{ReportFormat.Number(headline.LstmAucInterval.High)}); on prefixes without a cart yet it is {ReportFormat.Number(lstm.RocAucNoCart)}."));
        else
            report.Paragraph(F($"Headline: the time split (train on earlier sessions, test on the latest {result.Options.TimeTestShare:P0}). The buy head was not trained: the training sessions hold no purchase, so it is untrainable and was skipped by every model. The saved model has the exit head only: it scores no buy probability (NaN in the engine, null on the wire) and the trigger engine fires no buy-intent offers with it. The attention-LSTM's exit-head test ROC-AUC is {ReportFormat.Number(lstm.ExitRocAuc)}."));
        report.Paragraph("Every split fits its scalers and clusters on its own training sessions; every model is trained on the same training prefixes, early-stopped (where it stops early) on the validation sessions, Platt-calibrated with its decision threshold (maximum F1) chosen there, and measured on the same test prefixes. Mean ± sd are over the repeats listed.");
        if (hasBuy)
        {
            foreach (var kind in kinds)
            {
                var rows = result.ModelNames.Select(m => (IReadOnlyList<string>)
                [
                    m,
                    ReportFormat.MeanSd(result.Summarize(kind, m, e => e.RocAuc)),
                    ReportFormat.MeanSd(result.Summarize(kind, m, e => e.PrAuc)),
                    ReportFormat.MeanSd(result.Summarize(kind, m, e => e.RocAucNoCart)),
                    ReportFormat.MeanSd(result.Summarize(kind, m, e => e.LogLoss)),
                    ReportFormat.MeanSd(result.Summarize(kind, m, e => e.CalibrationError)),
                    ReportFormat.MeanSd(result.Summarize(kind, m, e => e.Confusion.F1)),
                    ReportFormat.MeanSd(result.Summarize(kind, m, e => e.EarlyDetection.DetectionRate)),
                    ReportFormat.MeanSd(result.Summarize(kind, m, e => e.EarlyDetection.FalseAlarmRate)),
                ]).ToList();
                report.Table(["model", "ROC-AUC", "PR-AUC", "ROC-AUC, no cart yet", "log loss", "ECE", "F1 @ threshold", "flagged before purchase", "false alarms"], rows,
                    $"Buy head, {KindName(kind)}: {result.Of(kind).Count()} repeats (seeds {string.Join(", ", result.Of(kind).Select(r => r.Seed))}).");
            }
        }
        if (hasExit)
        {
            var exitRows = result.ModelNames.Select(m => (IReadOnlyList<string>)
            [
                m,
                .. kinds.SelectMany(k => new[] { ReportFormat.MeanSd(result.Summarize(k, m, e => e.ExitRocAuc)), ReportFormat.MeanSd(result.Summarize(k, m, e => e.ExitPrAuc)) }),
            ]).ToList();
            report.Table(["model", .. kinds.SelectMany(k => new[] { $"{ShortKindName(k)} exit ROC-AUC", $"{ShortKindName(k)} exit PR-AUC" })], exitRows,
                "Exit head on test events whose next step is known, every model on the same prefixes (n = repeats where the test set holds both classes; n/a when it never does).");
        }

        report.Subsection("The attention-LSTM against each peer (paired)");
        report.Paragraph(F($"Difference in test ROC-AUC, attention-LSTM minus peer, on the same test prefixes, with a 95% interval from {result.Options.BootstrapIterations:N0} resamples of whole test sessions (both models' AUCs computed on each resample). \"Beats\" when the whole interval is above 0, \"behind\" when it is below 0, \"level with\" when it holds 0."));
        foreach (var head in new[] { ModelHeads.Buy, ModelHeads.Exit }.Where(h => (result.Heads & h) != 0))
        {
            var (run, comparisons) = ComparedRun(result, head);
            if (run is null)
            {
                report.Paragraph($"{ExperimentRunner.HeadName(head)} head: no split's test prefixes hold both classes, so no paired comparison is defined.");
                continue;
            }
            report.Table(["peer", "attention-LSTM ROC-AUC", "peer ROC-AUC", "difference [95% interval]", "verdict"],
                [.. comparisons.Select(c => (IReadOnlyList<string>)
                [
                    c.Peer, ReportFormat.Number(c.LstmRocAuc), ReportFormat.Number(c.PeerRocAuc),
                    F($"{SignedNumber(c.Difference.Estimate)} [{SignedNumber(c.Difference.Lower)}, {SignedNumber(c.Difference.Upper)}]"), c.Verdict,
                ])],
                $"{ExperimentRunner.HeadName(head)} head, {RunName(run)}{(run == headline ? " (the headline split)" : " (the first split where this head is defined on the test set; on the headline split it is not)")}.");
            report.Paragraph(PairedSentence(head, comparisons));
        }

        var notes = result.Runs.SelectMany(r => r.Notes.Select(n => (Run: r, Note: n)))
            .GroupBy(x => (x.Run.Kind, x.Note))
            .Select(g => $"{KindName(g.Key.Kind)}, seed{(g.Count() > 1 ? "s" : "")} {string.Join(", ", g.Select(x => x.Run.Seed))}: {g.Key.Note}")
            .ToList();
        if (notes.Count > 0)
        {
            report.Subsection("Notes");
            foreach (var note in notes) report.Paragraph(note);
        }

        report.Section("Data");
        report.Preformatted(ingest.Summary());
        report.Paragraph(SamplingSentence(result));
        report.Paragraph(F($"Sessions: {headline.Sessions.Train + headline.Sessions.Validation + headline.Sessions.Test:N0} (30-minute inactivity cut-off). Headline split: {headline.Sessions.Train:N0} train, {headline.Sessions.Validation:N0} validation, {headline.Sessions.Test:N0} test sessions; {headline.BuyPrefixes.Test:N0} test buy prefixes, {headline.BuyPrefixes.TestPositives:N0} of them before a purchase; {headline.ExitPrefixes.Test:N0} test exit prefixes, {headline.ExitPrefixes.TestPositives:N0} of them exits."));
        report.Paragraph(result.Options.Censoring == CensoringPolicy.ObservedAsNegative
            ? "Sessions still running when the log ends have unknown futures. Buy labels: a cut-off session without an observed purchase counts as a non-buyer (in a short log most sessions are cut off; dropping them would leave almost nothing). Exit labels: the last event of a cut-off session is not an exit example."
            : "Sessions still running when the log ends have unknown futures: prefixes of cut-off sessions without an observed purchase are not buy examples, and the last event of a cut-off session is not an exit example.");

        var named = result.ModelNames.Select(m => headline.Models[m]).ToList();
        if (headline.Model.HasBuyHead)
        {
            report.Section("Headline split: buy-head curves");
            report.Figure(ReportCharts.Roc([.. named.Select(m => new NamedCurve(m.Model, m.RocCurve))], "ROC curves, time-split test buy prefixes"), "ROC curves of every model on the same test prefixes.");
            var prevalence = headline.BuyPrefixes.TestPositives / (double)Math.Max(1, headline.BuyPrefixes.Test);
            report.Figure(ReportCharts.PrecisionRecall([.. named.Select(m => new NamedCurve(m.Model, m.PrCurve))], prevalence, "Precision–recall, time-split test buy prefixes"), F($"Precision–recall curves; the dashed line is the base rate ({prevalence:P1})."));
            report.Figure(ReportCharts.Calibration([.. named.Where(m => m.Model != ExperimentRunner.Majority).Select(m => new NamedReliability(m.Model, m.Reliability))], "Calibration on test prefixes"), "Reliability of the calibrated probabilities (Platt scaling fitted on validation data).");
            report.Figure(ReportCharts.ConfusionMatrix(lstm.Confusion, F($"Attention-LSTM at threshold {lstm.Threshold:0.###}")), "Confusion matrix of the attention-LSTM on test prefixes at the validation-chosen threshold.");

            var buckets = PrefixMetrics.BucketNames.ToList();
            var timeRuns = result.Of(SplitKind.Time).ToList();
            report.Figure(SvgChart.Bar(buckets,
                [.. result.ModelNames.Where(m => m != ExperimentRunner.Majority).Select(m => new BarSeries(m,
                    [.. buckets.Select(b => Summary.OfDefined(timeRuns.Select(r => r.Models[m].RocAucByPrefixLength[b])).Mean)],
                    [.. buckets.Select(b => Summary.OfDefined(timeRuns.Select(r => r.Models[m].RocAucByPrefixLength[b])).StandardDeviation)]))],
                new ChartOptions { Title = "ROC-AUC by prefix length (time split, mean ± sd)", XLabel = "events in prefix", YLabel = "ROC-AUC", YMin = 0, YMax = 1 }),
                "How well each model ranks prefixes of a given length. Buckets with one class only are left empty.");

            report.Subsection("Early detection");
            report.Table(["model", "threshold", "purchasing sessions", "flagged before purchase", "median lead (events)", "median lead (s)", "never-buying sessions", "false-alarm rate"],
                [.. named.Select(m => (IReadOnlyList<string>)
                [
                    m.Model, ReportFormat.Number(m.Threshold), m.EarlyDetection.PurchasingSessions.ToString(CultureInfo.InvariantCulture),
                    ReportFormat.Percent(m.EarlyDetection.DetectionRate), ReportFormat.Number(m.EarlyDetection.MedianLeadEvents), ReportFormat.Number(m.EarlyDetection.MedianLeadSeconds),
                    m.EarlyDetection.NonPurchasingSessions.ToString(CultureInfo.InvariantCulture), ReportFormat.Percent(m.EarlyDetection.FalseAlarmRate),
                ])], "A session is flagged at its first prefix whose probability reaches the threshold; lead time runs from that event to the first purchase.");
        }
        if (hasExit && result.Runs.FirstOrDefault(r => r.Models[ExperimentRunner.Lstm].ExitRocCurve.Count > 0) is { } exitRun)
        {
            report.Section("Exit-head curves");
            var exitModels = result.ModelNames.Select(m => exitRun.Models[m]).ToList();
            report.Figure(ReportCharts.Roc([.. exitModels.Select(m => new NamedCurve(m.Model, m.ExitRocCurve))], F($"Exit ROC curves, {RunName(exitRun)}")),
                F($"Exit-head ROC curves of every model on the same test prefixes ({RunName(exitRun)}{(exitRun == headline ? ", the headline split" : ", the first split whose test sessions hold known exits")})."));
            var exitPrevalence = exitRun.ExitPrefixes.TestPositives / (double)Math.Max(1, exitRun.ExitPrefixes.Test);
            report.Figure(ReportCharts.PrecisionRecall([.. exitModels.Select(m => new NamedCurve(m.Model, m.ExitPrCurve))], exitPrevalence, F($"Exit precision–recall, {RunName(exitRun)}")),
                F($"Exit-head precision–recall curves; the dashed line is the base rate ({exitPrevalence:P1})."));
        }

        if (headline.PeerDescriptions.Count > 0)
        {
            report.Subsection("What the peers fitted (headline split)");
            foreach (var description in headline.PeerDescriptions) report.Paragraph(description);
        }

        report.Section("Attention");
        report.Figure(ReportCharts.Attention([.. headline.AttentionExamples.Select(a => new AttentionRow(
            F($"session {a.SessionId} ({(a.Purchased ? "bought" : "no purchase")})"), a.Types, a.Weights))]),
            "Attention weights α over the events of real test sessions (up to the first purchase): V view, C cart, R remove, P purchase.");

        report.Section("Behavioral clusters");
        var clustering = headline.Clustering;
        var ks = clustering.Sweep.Select(p => p.K).ToList();
        report.Figure(ReportCharts.ClusterChoice(ks, [.. clustering.Sweep.Select(p => p.Inertia)], clustering.ChosenK, "inertia", "Elbow: K-Means inertia by k"), "Within-cluster sum of squares by k (elbow curve).");
        report.Figure(ReportCharts.ClusterChoice(ks, [.. clustering.Sweep.Select(p => p.Silhouette)], clustering.ChosenK, "silhouette", "Silhouette by k"), F($"Mean silhouette by k. Chosen k = {clustering.ChosenK}: {clustering.SelectionRule}"));
        report.Figure(SvgChart.Scatter([.. clustering.Clusters.Select(c => new ScatterGroup(c.Name,
                [.. clustering.Projection.Where(p => p.Cluster == c.Cluster).Select(p => (double)p.X)],
                [.. clustering.Projection.Where(p => p.Cluster == c.Cluster).Select(p => (double)p.Y)]))],
            new ChartOptions { Title = "Training sessions in the first two principal components", XLabel = F($"PC1 ({clustering.ExplainedVariance1:P0} of variance)"), YLabel = F($"PC2 ({clustering.ExplainedVariance2:P0})") }),
            "Session aggregate vectors (scaled) projected by PCA, coloured by cluster.");
        report.Table(["cluster", "name", "sessions", "purchase rate", "mean events", .. clustering.AggregateNames],
            [.. clustering.Clusters.Select(c => (IReadOnlyList<string>)
            [
                c.Cluster.ToString(CultureInfo.InvariantCulture), c.Name, c.Size.ToString("N0", CultureInfo.InvariantCulture), ReportFormat.Percent(c.PurchaseRate), ReportFormat.Number(c.MeanLength),
                .. c.Centroid.Select(v => ReportFormat.Number(v)),
            ])], "Cluster profiles (centroids in unscaled aggregate units); names follow the profiles, not the index.");

        report.Section("Intent shares");
        report.Figure(SvgChart.Bar(["buy", "research", "exit"],
            [.. result.Of(SplitKind.Time).Take(1).Select(r => new BarSeries("test events", [r.IntentShares.Buy, r.IntentShares.Research, r.IntentShares.Exit]))],
            new ChartOptions { Title = "Intent of test events", YLabel = "share of events", YMin = 0, YMax = 1, ValueFormat = "P0" }),
            headline.Model.HasBuyHead
                ? F($"Buy when the buy probability reaches {headline.Model.BuyThreshold:0.###}, else exit when the exit probability reaches {headline.Model.ExitThreshold:0.###}, else research.")
                : F($"No buy head, so no event reads as buy intent: exit when the exit probability reaches {headline.Model.ExitThreshold:0.###}, else research."));

        report.Section("Training");
        var epochs = headline.Training.Epochs;
        report.Figure(SvgChart.Line(
            [
                new LineSeries("training loss", [.. epochs.Select(e => (double)e.Epoch)], [.. epochs.Select(e => e.TrainLoss)]) { ShowMarkers = true },
                new LineSeries("validation loss", [.. epochs.Select(e => (double)e.Epoch)], [.. epochs.Select(e => e.ValidationLoss)]) { ShowMarkers = true, Dashed = true },
            ],
            new ChartOptions { Title = "Attention-LSTM loss by epoch (headline split)", XLabel = "epoch", YLabel = "weighted BCE", Markers = [new ChartMarker(headline.Training.BestEpoch, "best")] }),
            F($"Early stopping on validation loss; best epoch {headline.Training.BestEpoch}; median training speed {Median(epochs.Select(e => e.EventsPerSecond)):N0} events/s."));

        report.Section("Model card");
        var model = headline.Model;
        report.Table(["field", "value"],
        [
            ["version", model.Info.Version],
            ["trained on", model.Info.TrainedOn],
            ["reproduce", model.Info.Command],
            ["heads", model.Heads == ModelHeads.Both ? "buy and exit" : F($"{string.Join(", ", MicroMomentModel.HeadNames(model.Heads))} only ({(model.HasBuyHead ? "no exit head: it scores no exit probability" : "no buy head: it scores no buy probability and fires no buy-intent offers")})")],
            ["features", F($"{FeatureEncoder.RawDimension} per-event features + {model.Features.ClusterCount} cluster one-hots; schema {model.Features.Schema.Hash[..16]}…")],
            ["network", F($"LSTM hidden {model.Network.Shape.HiddenSize}, attention {model.Network.Shape.AttentionSize}, heads on [context; h_t]")],
            ["class imbalance", ClassImbalance(headline.Training)],
            ["calibration", "Platt on validation logits: " + string.Join("; ", new[]
            {
                model.BuyCalibration is { } b ? F($"buy A={b.A:0.###} B={b.B:0.###}") : null,
                model.ExitCalibration is { } x ? F($"exit A={x.A:0.###} B={x.B:0.###}") : null,
            }.OfType<string>())],
            ["thresholds", string.Join(", ", new[]
            {
                model.HasBuyHead ? F($"buy {model.BuyThreshold:0.###}") : null,
                model.HasExitHead ? F($"exit {model.ExitThreshold:0.###}") : null,
            }.OfType<string>()) + " (maximum F1 on validation data)"],
        ]);
        return report.Render();
    }

    /// <summary>The paired comparisons of <paramref name="head"/> on the headline split, or on the first split where
    /// that head's test prefixes hold both classes.</summary>
    public static (SplitRun? Run, IReadOnlyList<PairedComparison> Comparisons) ComparedRun(ExperimentResult result, ModelHeads head)
    {
        foreach (var run in result.Runs)
        {
            var comparisons = run.PairedComparisons.Where(c => c.Head == head).ToList();
            if (comparisons.Count > 0) return (run, comparisons);
        }
        return (null, []);
    }

    /// <summary>One sentence that says which peers the attention-LSTM beats, is level with, and is behind.</summary>
    public static string PairedSentence(ModelHeads head, IReadOnlyList<PairedComparison> comparisons)
    {
        string Names(string verdict) => string.Join(", ", comparisons.Where(c => c.Verdict == verdict).Select(c => c.Peer));
        var parts = new List<string>();
        foreach (var verdict in new[] { "beats", "level with", "behind" })
        {
            var names = Names(verdict);
            if (names.Length > 0) parts.Add(verdict == "behind" ? $"is behind {names}" : verdict == "beats" ? $"beats {names}" : $"is level with {names}");
        }
        return parts.Count == 0
            ? $"{ExperimentRunner.HeadName(head)} head: no comparison is defined."
            : $"{ExperimentRunner.HeadName(head)} head: the attention-LSTM {string.Join("; ", parts)} (by the 95% interval of the paired difference).";
    }

    private static string ClassImbalance(Model.TrainingResult training) =>
        training.BuyPositiveWeight == 1 && training.ExitPositiveWeight == 1
            ? "no reweighting of positive examples (calibration and thresholds come afterwards from validation data)"
            : F($"positive examples weighted {training.BuyPositiveWeight:0.##} (buy) and {training.ExitPositiveWeight:0.##} (exit), see the trainer options");

    private static string SignedNumber(double value) => double.IsFinite(value) ? (value >= 0 ? "+" : string.Empty) + ReportFormat.Number(value) : "n/a";

    private static string RunName(SplitRun run) => F($"{(run.Kind == SplitKind.Time ? "time split" : "random split")}, seed {run.Seed}");

    private static string ShortKindName(SplitKind kind) => kind == SplitKind.Time ? "time split" : "random 80/20";

    /// <summary>Says how many sessions of the log the run used and how they were chosen.</summary>
    internal static string SamplingSentence(ExperimentResult result) => result.IsSampled
        ? F($"The log holds {result.Population.Sessions:N0} sessions ({result.Population.Events:N0} events); this run used a sample of {result.Used.Sessions:N0} sessions ({result.Used.Sessions / (double)result.Population.Sessions:P1}; {result.Used.Events:N0} events), whole sessions with {SessionSampler.Method}, under the bound of {result.Options.MaxSessions:N0} sessions (ExperimentOptions.MaxSessions, --max-sessions). The sample does not depend on the seed, so every repeat splits the same sessions.")
        : F($"The run used all {result.Used.Sessions:N0} sessions of the log ({result.Used.Events:N0} events); {(result.Options.MaxSessions is int max ? F($"the bound of {max:N0} sessions was not reached") : "no session bound was set")}.");

    private static string KindName(SplitKind kind) => kind == SplitKind.Time ? "Time split (headline)" : "Stratified random 80/20 (the paper's protocol)";

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
