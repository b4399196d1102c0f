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

    /// <summary>Model names in report order.</summary>
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

    /// <summary>Fits features, trains, calibrates and evaluates every model on one split.</summary>
    public SplitRun RunSplit(SessionSplit split, ulong seed, string label, string trainedOn, string command)
    {
        Report(label, "features and clusters", 0);
        var featureOptions = options.Features with { Seed = seed, DegreeOfParallelism = options.DegreeOfParallelism };
        var (pipeline, clustering) = FeaturePipeline.Fit(split.Train.Select(s => (IReadOnlyList<Events.ClickEvent>)s.Events), featureOptions, null);

        Report(label, "encoding prefixes", 0.05);
        var train = ExampleBuilder.Build(pipeline, split.Train, options.Censoring, options.DegreeOfParallelism);
        var validation = ExampleBuilder.Build(pipeline, split.Validation, options.Censoring, options.DegreeOfParallelism);
        var test = ExampleBuilder.Build(pipeline, split.Test, options.Censoring, options.DegreeOfParallelism);

        var network = AttentionLstm.Create(new AttentionLstmShape(pipeline.InputDimension, options.HiddenSize, options.AttentionSize), seed);
        var trainerOptions = options.Trainer with { Seed = seed, DegreeOfParallelism = options.DegreeOfParallelism };
        var trainingProgress = progress is null ? null : new Progress<TrainingProgress>(p =>
            Report(label, $"training epoch {p.Epoch}, loss {p.TrainLoss:0.0000}",
                0.1 + 0.8 * ((p.Epoch - 1 + (double)p.Batch / Math.Max(1, p.BatchesPerEpoch)) / Math.Max(1, trainerOptions.Epochs))));
        var training = new AttentionLstmTrainer().Train(network, [.. train.Select(e => e.Sequence)], [.. validation.Select(e => e.Sequence)], trainerOptions, trainingProgress);

        Report(label, "calibrating and evaluating", 0.9);
        var notes = new List<string>(clustering.FeatureNotes.Select(n => "Features: " + n));
        var lstmValidation = NetworkLogits(network, validation);
        var lstmTest = NetworkLogits(network, test);
        var logistic = FitLogistic(train, pipeline.InputDimension);

        var valBuy = BuyRows(validation);
        var testBuy = BuyRows(test);
        var models = new Dictionary<string, ModelEvaluation>(StringComparer.Ordinal);

        var (lstmEval, buyCalibration, buyThreshold, lstmTestProbabilities) = EvaluateModel(Lstm, validation, test, valBuy, testBuy,
            (set, row) => (set == 0 ? lstmValidation : lstmTest).Buy[row.Session][row.Position]);
        var exitRowsVal = ExitRows(validation);
        var exitRowsTest = ExitRows(test);
        var (exitCalibration, exitThreshold) = CalibrateExit(network, train, validation, lstmValidation, exitRowsVal, notes);
        var exitTestScores = Scores(exitRowsTest, r => lstmTest.Exit[r.Session][r.Position]);
        var exitLabels = Labels(exitRowsTest);
        if (!exitLabels.Contains((byte)1) || !exitLabels.Contains((byte)0))
            notes.Add($"Exit head: the test sessions hold {exitLabels.Count(l => l == 1)} known exits and {exitLabels.Count(l => l == 0)} known continuations, so its test ROC-AUC is undefined on this split (sessions still running when the log ends have no known exit).");
        models[Lstm] = lstmEval with { ExitRocAuc = BinaryMetrics.RocAuc(exitTestScores, exitLabels), ExitPrAuc = BinaryMetrics.AveragePrecision(exitTestScores, exitLabels) };

        models[Logistic] = EvaluateModel(Logistic, validation, test, valBuy, testBuy,
            (set, row) => logistic.PredictLogit((set == 0 ? validation : test)[row.Session].Sequence.Inputs.AsSpan(row.Position * pipeline.InputDimension, pipeline.InputDimension))).Evaluation;
        models[Rules] = EvaluateModel(Rules, validation, test, valBuy, testBuy,
            (set, row) => (set == 0 ? validation : test)[row.Session].Prefixes[row.Position].RuleScore).Evaluation;
        var prevalence = train.Sum(e => e.Sequence.BuyTargets.Count(t => t == 1f)) / (float)Math.Max(1, train.Sum(e => e.Sequence.BuyTargets.Count(t => !float.IsNaN(t))));
        models[Majority] = EvaluateModel(Majority, validation, test, valBuy, testBuy, (_, _) => prevalence).Evaluation;

        var model = new MicroMomentModel(pipeline, network, buyCalibration, exitCalibration, buyThreshold, Math.Clamp(exitThreshold, 1e-4f, 1 - 1e-4f), options.SessionTimeout,
            new ModelInfo(
                string.Create(CultureInfo.InvariantCulture, $"{split.Kind.ToString().ToLowerInvariant()}-h{options.HiddenSize}-s{seed}"),
                trainedOn,
                command,
                new Dictionary<string, double>
                {
                    ["testRocAuc"] = models[Lstm].RocAuc,
                    ["testPrAuc"] = models[Lstm].PrAuc,
                    ["testRocAucNoCart"] = models[Lstm].RocAucNoCart,
                    ["testExitRocAuc"] = models[Lstm].ExitRocAuc,
                    ["logisticTestRocAuc"] = models[Logistic].RocAuc,
                    ["ruleTestRocAuc"] = models[Rules].RocAuc,
                }));

        var interval = Bootstrap.AucInterval(lstmTestProbabilities, Labels(testBuy), [.. testBuy.Select(r => test[r.Session].Session.Id)], options.BootstrapIterations, seed);
        Report(label, "done", 1);
        return new SplitRun
        {
            Kind = split.Kind,
            Seed = seed,
            Sessions = (split.Train.Count, split.Validation.Count, split.Test.Count),
            BuyPrefixes = (BuyRows(train).Length, valBuy.Length, testBuy.Length, Labels(testBuy).Count(l => l == 1)),
            Models = models,
            Model = model,
            Training = training,
            Clustering = clustering,
            IntentShares = IntentShares(model, test, lstmTest),
            AttentionExamples = AttentionExamples(network, buyCalibration, test),
            LstmAucInterval = (interval.Lower, interval.Upper),
            Notes = notes,
        };
    }

    private void Report(string label, string stage, double fraction) => progress?.Report(new PipelineProgress(label, stage, fraction));

    private readonly record struct Row(int Session, int Position, byte Label);

    private sealed record Logits(float[][] Buy, float[][] Exit);

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

    private static Row[] BuyRows(SessionExamples[] set) => Rows(set, e => e.Sequence.BuyTargets);

    private static Row[] ExitRows(SessionExamples[] set) => Rows(set, e => e.Sequence.ExitTargets);

    private static Row[] Rows(SessionExamples[] set, Func<SessionExamples, float[]> targets)
    {
        var rows = new List<Row>();
        for (var s = 0; s < set.Length; s++)
        {
            var t = targets(set[s]);
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

    /// <summary>Fits the exit head's calibration and threshold on validation exits; when the validation sessions
    /// hold no known exit (all still running at the end of the log), falls back to the training sessions and says so.</summary>
    private (PlattCalibrator Calibration, float Threshold) CalibrateExit(AttentionLstm network, SessionExamples[] train, SessionExamples[] validation, Logits validationLogits, Row[] validationRows, List<string> notes)
    {
        var logits = validationLogits;
        var rows = validationRows;
        var labels = Labels(rows);
        if (!labels.Contains((byte)1) || !labels.Contains((byte)0))
        {
            notes.Add($"Exit head: the validation sessions hold {labels.Count(l => l == 1)} known exits, so its calibration and threshold were fitted on the training sessions instead.");
            logits = NetworkLogits(network, train);
            rows = ExitRows(train);
            labels = Labels(rows);
        }
        var calibration = PlattCalibrator.Fit(Scores(rows, r => logits.Exit[r.Session][r.Position]), labels);
        var probabilities = Scores(rows, r => calibration.Apply(logits.Exit[r.Session][r.Position]));
        var threshold = Math.Clamp(ThresholdSelector.MaximizeF1(probabilities, labels).Threshold, 1e-4f, 1 - 1e-4f);
        return (calibration, threshold);
    }

    /// <summary>Calibrates a raw score on validation rows, picks the threshold there, and measures on test rows.
    /// <paramref name="score"/> gets 0 for validation rows and 1 for test rows.</summary>
    private static (ModelEvaluation Evaluation, PlattCalibrator Calibration, float Threshold, float[] TestProbabilities) EvaluateModel(
        string name, SessionExamples[] validation, SessionExamples[] test, Row[] valRows, Row[] testRows, Func<int, Row, float> score)
    {
        var valLabels = Labels(valRows);
        var calibration = PlattCalibrator.Fit(Scores(valRows, r => score(0, r)), valLabels);
        var valProbabilities = Scores(valRows, r => calibration.Apply(score(0, r)));
        var threshold = Math.Clamp(ThresholdSelector.MaximizeF1(valProbabilities, valLabels).Threshold, 1e-4f, 1 - 1e-4f);

        var labels = Labels(testRows);
        var probabilities = Scores(testRows, r => calibration.Apply(score(1, r)));
        var traces = new List<SessionTrace>();
        foreach (var group in testRows.Select((r, i) => (r, i)).GroupBy(x => x.r.Session))
        {
            var session = test[group.Key].Session;
            var trace = new float[session.Events.Length];
            foreach (var (r, i) in group) trace[r.Position] = probabilities[i];
            traces.Add(new SessionTrace(session.Id, trace, [.. session.Events.Select(e => e.Timestamp)], session.FirstPurchaseIndex));
        }
        var evaluation = PrefixMetrics.Measure(name, probabilities, labels,
            [.. testRows.Select(r => r.Position + 1)], [.. testRows.Select(r => test[r.Session].Prefixes[r.Position].HasCartSoFar)], traces, threshold);
        return (evaluation, calibration, threshold, probabilities);
    }

    private LogisticRegression FitLogistic(SessionExamples[] train, int dimension)
    {
        var rows = BuyRows(train);
        var x = new float[rows.Length * dimension];
        for (var i = 0; i < rows.Length; i++)
            train[rows[i].Session].Sequence.Inputs.AsSpan(rows[i].Position * dimension, dimension).CopyTo(x.AsSpan(i * dimension));
        return LogisticRegression.Fit(x, dimension, Labels(rows), new LogisticRegressionOptions { BalanceClasses = true });
    }

    private static (double Buy, double Research, double Exit) IntentShares(MicroMomentModel model, SessionExamples[] test, Logits logits)
    {
        long buy = 0, research = 0, exit = 0;
        for (var s = 0; s < test.Length; s++)
        {
            for (var p = 0; p < logits.Buy[s].Length; p++)
            {
                var intent = model.IntentOf(model.BuyCalibration.Apply(logits.Buy[s][p]), model.ExitCalibration.Apply(logits.Exit[s][p]));
                _ = intent switch { Intent.Buy => buy++, Intent.Exit => exit++, _ => research++ };
            }
        }
        double total = Math.Max(1, buy + research + exit);
        return (buy / total, research / total, exit / total);
    }

    /// <summary>Picks up to three purchasing and three non-purchasing test sessions of 4 to 16 events before any purchase.</summary>
    private static IReadOnlyList<AttentionExample> AttentionExamples(AttentionLstm network, PlattCalibrator calibration, SessionExamples[] test)
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
                    [.. buy.Select(calibration.Apply)]));
                if (examples.Count(x => x.Purchased == purchased) == 3) break;
            }
        }
        return examples;
    }
}
