using System.Globalization;
using MicroMoment.Evaluation;
using MicroMoment.Features;
using MicroMoment.Model;
using MicroMoment.Scoring;
using MicroMoment.Sessions;

namespace MicroMoment.Training;

/// <summary>
/// Trains and evaluates the attention-LSTM and its baselines on repeated splits of one set of sessions.
/// Every split fits its own scalers and clusters on its training sessions only; calibration and decision
/// thresholds come from its validation sessions; test sessions only feed the reported numbers.
/// </summary>
public sealed class ExperimentRunner(ExperimentOptions options, IProgress<PipelineProgress>? progress = null)
{
    /// <summary>Name of the attention-LSTM in results.</summary>
    public const string Lstm = "attention-lstm";

    /// <summary>Name of the logistic-regression baseline.</summary>
    public const string Logistic = "logistic-regression";

    /// <summary>Name of the rule-based trigger baseline.</summary>
    public const string Rules = "rule-based";

    /// <summary>Name of the majority-class baseline.</summary>
    public const string Majority = "majority-class";

    /// <summary>The built-in model names in report order (a run adds the peers of <see cref="ExperimentOptions.Peers"/>
    /// after the attention-LSTM; see <see cref="ModelNamesFor"/>).</summary>
    public static IReadOnlyList<string> ModelNames { get; } = [Lstm, Logistic, Rules, Majority];

    /// <summary>Runs every split; the first time split is the headline and provides the shipped model. When there are
    /// more sessions than <see cref="ExperimentOptions.MaxSessions"/>, a deterministic sample of whole sessions is used.</summary>
    public ExperimentResult Run(IReadOnlyList<Session> sessions, string trainedOn, string command)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        options.Validate();
        return Run(SessionSampler.Sample(sessions, options.MaxSessions), trainedOn, command);
    }

    /// <summary>Runs every split on the sessions of <paramref name="sample"/> (narrowed further to
    /// <see cref="ExperimentOptions.MaxSessions"/> if it holds more); its population is what the report calls the log.</summary>
    public ExperimentResult Run(SessionSample sample, string trainedOn, string command)
    {
        ArgumentNullException.ThrowIfNull(sample);
        options.Validate();
        sample = SessionSampler.Narrow(sample, options.MaxSessions);
        var sessions = sample.Sessions;
        var runs = new List<SplitRun>();
        var total = options.Repeats * (options.RandomSplits ? 2 : 1);
        for (var r = 0; r < options.Repeats; r++)
        {
            var seed = options.Seed + (ulong)r;
            var split = SessionSplit.ByTime(sessions, options.TimeTestShare, options.TimeValidationShare);
            runs.Add(RunSplit(split, seed, $"time split, seed {seed} ({runs.Count + 1}/{total})", trainedOn, command));
        }
        if (options.RandomSplits)
        {
            for (var r = 0; r < options.Repeats; r++)
            {
                var seed = options.Seed + (ulong)r;
                var split = SessionSplit.StratifiedRandom(sessions, seed);
                runs.Add(RunSplit(split, seed, $"random split, seed {seed} ({runs.Count + 1}/{total})", trainedOn, command));
            }
        }
        return new ExperimentResult(options, runs, sample.Population, SessionStatistics.Of(sessions));
    }

    /// <summary>Fits features, trains, calibrates and evaluates every model on one split. A head whose training
    /// prefixes lack a class (a log without purchases teaches no buy head) is not trained by any model, and the split's
    /// notes say so; the model then has only the other head.</summary>
    /// <exception cref="ArgumentException">Neither head can be trained on the split's training sessions.</exception>
    public SplitRun RunSplit(SessionSplit split, ulong seed, string label, string trainedOn, string command)
    {
        Report(label, "features and clusters", 0);
        var featureOptions = options.Features with { Seed = seed, DegreeOfParallelism = options.DegreeOfParallelism };
        var (pipeline, clustering) = FeaturePipeline.Fit(split.Train.Select(s => (IReadOnlyList<Events.ClickEvent>)s.Events), featureOptions, null);

        Report(label, "encoding prefixes", 0.05);
        var train = ExampleBuilder.Build(pipeline, split.Train, options.Censoring, options.DegreeOfParallelism);
        var validation = ExampleBuilder.Build(pipeline, split.Validation, options.Censoring, options.DegreeOfParallelism);
        var test = ExampleBuilder.Build(pipeline, split.Test, options.Censoring, options.DegreeOfParallelism);
        var notes = new List<string>(clustering.FeatureNotes.Select(n => "Features: " + n));
        var heads = TrainableHeads(train, notes);

        var network = AttentionLstm.Create(new AttentionLstmShape(pipeline.InputDimension, options.HiddenSize, options.AttentionSize), seed);
        var trainerOptions = options.Trainer with { Seed = seed, DegreeOfParallelism = options.DegreeOfParallelism };
        var trainingProgress = progress is null ? null : new Progress<TrainingProgress>(p =>
            Report(label, $"training epoch {p.Epoch}, loss {p.TrainLoss:0.0000}",
                0.1 + 0.75 * ((p.Epoch - 1 + (double)p.Batch / Math.Max(1, p.BatchesPerEpoch)) / Math.Max(1, trainerOptions.Epochs))));
        var training = new AttentionLstmTrainer().Train(network, Sequences(train, heads), Sequences(validation, heads), trainerOptions, trainingProgress);

        Report(label, "peers, calibration and evaluation", 0.85);
        var lstmValidation = NetworkLogits(network, validation);
        var lstmTest = NetworkLogits(network, test);
        Logits? lstmTrain = null;
        var names = ModelNamesFor(options);
        var buy = new Dictionary<string, ModelEvaluation>(StringComparer.Ordinal);
        var exit = new Dictionary<string, ModelEvaluation>(StringComparer.Ordinal);
        var paired = new List<PairedComparison>();
        var descriptions = new List<string>();
        PlattCalibrator? buyCalibration = null, exitCalibration = null;
        float buyThreshold = float.NaN, exitThreshold = float.NaN;
        float[] lstmBuyTest = [];
        Row[] testBuy = [];
        var buyCounts = (Train: 0, Validation: 0, Test: 0, TestPositives: 0);
        var exitCounts = (Train: 0, Validation: 0, Test: 0, TestPositives: 0);

        foreach (var head in new[] { ModelHeads.Buy, ModelHeads.Exit })
        {
            var trainRows = Rows(train, head);
            var valRows = Rows(validation, head);
            var testRows = Rows(test, head);
            var counts = (trainRows.Length, valRows.Length, testRows.Length, testRows.Count(r => r.Label == 1));
            if (head == ModelHeads.Buy) buyCounts = counts; else exitCounts = counts;
            if ((heads & head) == 0) continue;

            // Calibration and thresholds come from the validation sessions; when they hold one class only (in a short
            // log every validation session may still be running at its end, so no exit is known), from training.
            var validationUsable = HasBothClasses(valRows);
            var calibrationSet = validationUsable ? validation : train;
            var calibrationRows = validationUsable ? valRows : trainRows;
            if (!validationUsable)
            {
                notes.Add($"{HeadName(head)} head: the validation sessions hold {valRows.Count(r => r.Label == 1)} positive and {valRows.Count(r => r.Label == 0)} negative prefixes, so every model's calibration and threshold for it were fitted on the training sessions instead{(options.Peers.Count > 0 ? ", and the peers stopped by their own rule instead of early stopping" : string.Empty)}.");
                lstmTrain ??= NetworkLogits(network, train);
            }
            if (!HasBothClasses(testRows))
                notes.Add($"{HeadName(head)} head: the test sessions hold {testRows.Count(r => r.Label == 1)} positive and {testRows.Count(r => r.Label == 0)} negative prefixes, so its test ROC-AUC is undefined on this split{(head == ModelHeads.Exit ? " (sessions still running when the log ends have no known exit)" : string.Empty)}.");

            var lstmCalibrationLogits = validationUsable ? lstmValidation : lstmTrain!;
            var scores = new Dictionary<string, (float[] Calibration, float[] Test)>(StringComparer.Ordinal)
            {
                [Lstm] = (Scores(calibrationRows, r => lstmCalibrationLogits.Of(head)[r.Session][r.Position]), Scores(testRows, r => lstmTest.Of(head)[r.Session][r.Position])),
            };
            var trainTable = Table(pipeline, train, trainRows);
            var validationTable = validationUsable ? Table(pipeline, validation, valRows) : null;
            var calibrationTable = validationTable ?? trainTable;
            var testTable = Table(pipeline, test, testRows);
            foreach (var peer in RowPeers())
            {
                var fitted = peer.Fit(trainTable, validationTable, seed);
                descriptions.Add($"{peer.Name}, {HeadName(head).ToLowerInvariant()} head: {fitted.Description}");
                var calibrationScores = new float[calibrationTable.Count];
                var testScores = new float[testTable.Count];
                fitted.Score(calibrationTable, calibrationScores);
                fitted.Score(testTable, testScores);
                scores[peer.Name] = (calibrationScores, testScores);
            }
            Func<PrefixRecord, float> rule = head == ModelHeads.Buy ? p => p.RuleScore : p => p.ExitRuleScore;
            scores[Rules] = (Scores(calibrationRows, r => rule(calibrationSet[r.Session].Prefixes[r.Position])), Scores(testRows, r => rule(test[r.Session].Prefixes[r.Position])));
            var prevalence = trainRows.Count(r => r.Label == 1) / (float)trainRows.Length;
            scores[Majority] = (Scores(calibrationRows, _ => prevalence), Scores(testRows, _ => prevalence));

            if (options.EnsembleWithPeers)
            {
                var calibrationLabels = Labels(calibrationRows);
                var lstmCalibration = PlattCalibrator.Fit(scores[Lstm].Calibration, calibrationLabels);
                foreach (var peer in options.Peers)
                {
                    var peerCalibration = PlattCalibrator.Fit(scores[peer.Name].Calibration, calibrationLabels);
                    float Sum(float lstmScore, float peerScore) => (float)(-(lstmCalibration.A * lstmScore + lstmCalibration.B) - (peerCalibration.A * peerScore + peerCalibration.B));
                    scores[$"{Lstm}+{peer.Name}"] = (
                        [.. scores[Lstm].Calibration.Zip(scores[peer.Name].Calibration, Sum)],
                        [.. scores[Lstm].Test.Zip(scores[peer.Name].Test, Sum)]);
                }
            }

            var testLabels = Labels(testRows);
            var testProbabilities = new Dictionary<string, float[]>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                var (calibration, threshold, probabilities) = Calibrate(scores[name].Calibration, Labels(calibrationRows), scores[name].Test);
                testProbabilities[name] = probabilities;
                if (head == ModelHeads.Buy)
                {
                    buy[name] = MeasureBuy(name, test, testRows, probabilities, threshold);
                    if (name == Lstm) (buyCalibration, buyThreshold, lstmBuyTest, testBuy) = (calibration, threshold, probabilities, testRows);
                }
                else
                {
                    exit[name] = MeasureExit(name, testLabels, probabilities);
                    if (name == Lstm) (exitCalibration, exitThreshold) = (calibration, threshold);
                }
            }

            if (HasBothClasses(testRows))
            {
                var sessions = testRows.Select(r => test[r.Session].Session.Id).ToArray();
                foreach (var name in names.Where(n => n != Lstm))
                {
                    var difference = Bootstrap.PairedAucDifference(testProbabilities[Lstm], testProbabilities[name], testLabels, sessions, options.BootstrapIterations, seed);
                    paired.Add(new PairedComparison(head, name, BinaryMetrics.RocAuc(testProbabilities[Lstm], testLabels), BinaryMetrics.RocAuc(testProbabilities[name], testLabels), difference));
                }
            }
        }

        var models = names.ToDictionary(n => n, n => (buy.TryGetValue(n, out var b) ? b : ModelEvaluation.WithoutBuyHead(n)) with
        {
            ExitRocAuc = exit.TryGetValue(n, out var e) ? e.ExitRocAuc : double.NaN,
            ExitPrAuc = e?.ExitPrAuc ?? double.NaN,
            ExitRocCurve = e?.ExitRocCurve ?? [],
            ExitPrCurve = e?.ExitPrCurve ?? [],
        }, StringComparer.Ordinal);

        var headline = new Dictionary<string, double>
        {
            ["testRocAuc"] = models[Lstm].RocAuc,
            ["testPrAuc"] = models[Lstm].PrAuc,
            ["testRocAucNoCart"] = models[Lstm].RocAucNoCart,
            ["testExitRocAuc"] = models[Lstm].ExitRocAuc,
            ["logisticTestRocAuc"] = models[Logistic].RocAuc,
            ["ruleTestRocAuc"] = models[Rules].RocAuc,
        };
        foreach (var peer in options.Peers)
        {
            headline[MetricKey(peer.Name, "TestRocAuc")] = models[peer.Name].RocAuc;
            headline[MetricKey(peer.Name, "TestExitRocAuc")] = models[peer.Name].ExitRocAuc;
        }
        var model = new MicroMomentModel(pipeline, network, buyCalibration, exitCalibration,
            buyCalibration is null ? float.NaN : buyThreshold, exitCalibration is null ? float.NaN : Math.Clamp(exitThreshold, 1e-4f, 1 - 1e-4f), options.SessionTimeout,
            new ModelInfo(
                string.Create(CultureInfo.InvariantCulture, $"{split.Kind.ToString().ToLowerInvariant()}-h{options.HiddenSize}-s{seed}"),
                trainedOn,
                command,
                headline));

        var interval = buyCalibration is null || !HasBothClasses(testBuy)
            ? new ConfidenceInterval(double.NaN, double.NaN, double.NaN, 0.95, 0, 0)
            : Bootstrap.AucInterval(lstmBuyTest, Labels(testBuy), [.. testBuy.Select(r => test[r.Session].Session.Id)], options.BootstrapIterations, seed);
        Report(label, "done", 1);
        return new SplitRun
        {
            Kind = split.Kind,
            Seed = seed,
            Sessions = (split.Train.Count, split.Validation.Count, split.Test.Count),
            BuyPrefixes = buyCounts,
            ExitPrefixes = exitCounts,
            Heads = heads,
            Models = models,
            PairedComparisons = paired,
            PeerDescriptions = descriptions,
            Model = model,
            Training = training,
            Clustering = clustering,
            IntentShares = IntentShares(model, test, lstmTest),
            AttentionExamples = AttentionExamples(network, model, test),
            LstmAucInterval = (interval.Lower, interval.Upper),
            Notes = notes,
        };
    }

    /// <summary>Every model name of a run with <paramref name="options"/>, in report order: the attention-LSTM, the
    /// peers of <see cref="ExperimentOptions.Peers"/>, then the built-in baselines.</summary>
    public static IReadOnlyList<string> ModelNamesFor(ExperimentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return [Lstm, .. options.Peers.Select(p => p.Name), .. options.EnsembleWithPeers ? options.Peers.Select(p => $"{Lstm}+{p.Name}") : [], Logistic, Rules, Majority];
    }

    /// <summary>"buy" or "exit".</summary>
    internal static string HeadName(ModelHeads head) => head == ModelHeads.Buy ? "Buy" : "Exit";

    private static string MetricKey(string name, string suffix)
    {
        var parts = name.Split(['-', '_', ' '], StringSplitOptions.RemoveEmptyEntries);
        return string.Concat(parts.Select((p, i) => i == 0 ? p.ToLowerInvariant() : char.ToUpperInvariant(p[0]) + p[1..].ToLowerInvariant())) + suffix;
    }

    private IEnumerable<IPrefixClassifierTrainer> RowPeers() => [.. options.Peers, new LogisticRegressionPeer()];

    /// <summary>The heads whose training prefixes hold both classes; notes every other head.</summary>
    private static ModelHeads TrainableHeads(SessionExamples[] train, List<string> notes)
    {
        var heads = ModelHeads.None;
        foreach (var head in new[] { ModelHeads.Buy, ModelHeads.Exit })
        {
            var rows = Rows(train, head);
            var positives = rows.Count(r => r.Label == 1);
            if (positives > 0 && positives < rows.Length)
            {
                heads |= head;
                continue;
            }
            notes.Add(head == ModelHeads.Buy
                ? $"Buy head: untrainable and skipped: the training sessions hold {positives} prefixes before a purchase among {rows.Length:N0} buy prefixes (a log without purchases cannot teach it). No model was trained or measured for it, and the saved model has no buy head: it scores no buy probability and fires no buy-intent offers."
                : $"Exit head: untrainable and skipped: the training sessions hold {positives:N0} known exits among {rows.Length:N0} exit prefixes. No model was trained or measured for it, and the saved model has no exit head.");
        }
        if (heads == ModelHeads.None)
            throw new ArgumentException($"Neither head can be trained: {string.Join(" ", notes.Where(n => n.Contains("untrainable", StringComparison.Ordinal)))} A log needs purchases (buy head) or sessions that end before the log does (exit head).");
        return heads;
    }

    /// <summary>The LSTM's training sequences: a head that is not trained gets no targets (NaN), so it adds no loss.</summary>
    private static SequenceExample[] Sequences(SessionExamples[] set, ModelHeads heads) =>
        [.. set.Select(e => heads == ModelHeads.Both ? e.Sequence : new SequenceExample(
            e.Sequence.Inputs, e.Sequence.Length,
            (heads & ModelHeads.Buy) != 0 ? e.Sequence.BuyTargets : NaNs(e.Sequence.Length),
            (heads & ModelHeads.Exit) != 0 ? e.Sequence.ExitTargets : NaNs(e.Sequence.Length),
            e.Sequence.Key))];

    private static float[] NaNs(int length)
    {
        var values = new float[length];
        Array.Fill(values, float.NaN);
        return values;
    }

    private static PrefixRows Table(FeaturePipeline pipeline, SessionExamples[] set, Row[] rows) => new(
        pipeline.Schema.Names,
        [.. set.Select(e => e.Sequence.Inputs)],
        [.. rows.Select(r => r.Session)],
        [.. rows.Select(r => r.Position * pipeline.InputDimension)],
        Labels(rows),
        [.. rows.Select(r => set[r.Session].Session.Id)]);

    /// <summary>Platt-calibrates raw scores on the calibration rows, picks the maximum-F1 threshold there, and
    /// calibrates the test scores.</summary>
    private static (PlattCalibrator Calibration, float Threshold, float[] TestProbabilities) Calibrate(float[] calibrationScores, byte[] calibrationLabels, float[] testScores)
    {
        var calibration = PlattCalibrator.Fit(calibrationScores, calibrationLabels);
        var threshold = Math.Clamp(ThresholdSelector.MaximizeF1([.. calibrationScores.Select(calibration.Apply)], calibrationLabels).Threshold, 1e-4f, 1 - 1e-4f);
        return (calibration, threshold, [.. testScores.Select(calibration.Apply)]);
    }

    private static ModelEvaluation MeasureBuy(string name, SessionExamples[] test, Row[] testRows, float[] probabilities, float threshold)
    {
        var traces = new List<SessionTrace>();
        foreach (var group in testRows.Select((r, i) => (r, i)).GroupBy(x => x.r.Session))
        {
            var session = test[group.Key].Session;
            var trace = new float[session.Events.Length];
            foreach (var (r, i) in group) trace[r.Position] = probabilities[i];
            traces.Add(new SessionTrace(session.Id, trace, [.. session.Events.Select(e => e.Timestamp)], session.FirstPurchaseIndex));
        }
        return PrefixMetrics.Measure(name, probabilities, Labels(testRows),
            [.. testRows.Select(r => r.Position + 1)], [.. testRows.Select(r => test[r.Session].Prefixes[r.Position].HasCartSoFar)], traces, threshold);
    }

    private static ModelEvaluation MeasureExit(string name, byte[] labels, float[] probabilities) => ModelEvaluation.WithoutBuyHead(name) with
    {
        ExitRocAuc = BinaryMetrics.RocAuc(probabilities, labels),
        ExitPrAuc = BinaryMetrics.AveragePrecision(probabilities, labels),
        ExitRocCurve = BinaryMetrics.RocCurve(probabilities, labels),
        ExitPrCurve = BinaryMetrics.PrCurve(probabilities, labels),
    };

    private static bool HasBothClasses(Row[] rows)
    {
        var positives = rows.Count(r => r.Label == 1);
        return positives > 0 && positives < rows.Length;
    }

    private void Report(string label, string stage, double fraction) => progress?.Report(new PipelineProgress(label, stage, fraction));

    private readonly record struct Row(int Session, int Position, byte Label);

    private sealed record Logits(float[][] Buy, float[][] Exit)
    {
        public float[][] Of(ModelHeads head) => head == ModelHeads.Buy ? Buy : Exit;
    }

    private Logits NetworkLogits(AttentionLstm network, SessionExamples[] set)
    {
        var buy = new float[set.Length][];
        var exit = new float[set.Length][];
        Parallel.For(0, set.Length, new ParallelOptions { MaxDegreeOfParallelism = options.DegreeOfParallelism }, i =>
        {
            var sequence = set[i].Sequence;
            buy[i] = new float[sequence.Length];
            exit[i] = new float[sequence.Length];
            network.ForwardSequence(sequence.Inputs, sequence.Length, buy[i], exit[i]);
        });
        return new Logits(buy, exit);
    }

    private static Row[] Rows(SessionExamples[] set, ModelHeads head)
    {
        var rows = new List<Row>();
        for (var s = 0; s < set.Length; s++)
        {
            var t = head == ModelHeads.Buy ? set[s].Sequence.BuyTargets : set[s].Sequence.ExitTargets;
            for (var p = 0; p < t.Length; p++)
                if (!float.IsNaN(t[p])) rows.Add(new Row(s, p, t[p] > 0.5f ? (byte)1 : (byte)0));
        }
        return [.. rows];
    }

    private static byte[] Labels(Row[] rows) => [.. rows.Select(r => r.Label)];

    private static float[] Scores(Row[] rows, Func<Row, float> score)
    {
        var scores = new float[rows.Length];
        for (var i = 0; i < rows.Length; i++) scores[i] = score(rows[i]);
        return scores;
    }

    private static (double Buy, double Research, double Exit) IntentShares(MicroMomentModel model, SessionExamples[] test, Logits logits)
    {
        long buy = 0, research = 0, exit = 0;
        for (var s = 0; s < test.Length; s++)
        {
            for (var p = 0; p < logits.Buy[s].Length; p++)
            {
                var intent = model.IntentOf(model.BuyProbability(logits.Buy[s][p]), model.ExitProbability(logits.Exit[s][p]));
                _ = intent switch { Intent.Buy => buy++, Intent.Exit => exit++, _ => research++ };
            }
        }
        double total = Math.Max(1, buy + research + exit);
        return (buy / total, research / total, exit / total);
    }

    /// <summary>Picks up to three purchasing and three non-purchasing test sessions of 4 to 16 events before any purchase.</summary>
    private static IReadOnlyList<AttentionExample> AttentionExamples(AttentionLstm network, MicroMomentModel model, SessionExamples[] test)
    {
        var examples = new List<AttentionExample>();
        foreach (var purchased in new[] { true, false })
        {
            foreach (var e in test.Where(e => e.Session.HasPurchase == purchased).OrderBy(e => e.Session.Id))
            {
                var shown = purchased ? e.Session.FirstPurchaseIndex : e.Session.Events.Length;
                if (shown is < 4 or > 16) continue;
                var d = network.Shape.InputSize;
                var inputs = e.Sequence.Inputs.AsSpan(0, shown * d);
                var weights = network.AttentionWeights(inputs, shown);
                var buy = new float[shown];
                var exit = new float[shown];
                network.ForwardSequence(inputs, shown, buy, exit);
                examples.Add(new AttentionExample(e.Session.Id, purchased, [.. e.Session.Events.Take(shown).Select(x => x.Type)], weights,
                    [.. buy.Select(model.BuyProbability)]));
                if (examples.Count(x => x.Purchased == purchased) == 3) break;
            }
        }
        return examples;
    }
}
