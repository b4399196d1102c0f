using System.Diagnostics;
using MicroMoment.Numerics;

namespace MicroMoment.Model;

/// <summary>
/// Trains an <see cref="AttentionLstm"/> with Adam on minibatches of whole sequences.
/// <para>
/// Loss of a set of sequences = mean over valid buy targets of the weighted binary cross-entropy with logits
/// + ExitLossWeight · the same mean over valid exit targets (NaN targets are skipped; a head without valid
/// targets contributes 0). Positive targets are weighted by the positive-class weight of their head (the
/// class-imbalance treatment, see <see cref="TrainerOptions.BuyPositiveWeight"/>). Each epoch shuffles the
/// sequences with the seed, clips the minibatch gradient to <see cref="TrainerOptions.GradientClipNorm"/>, and
/// after the epoch evaluates the validation loss; the weights of the best epoch are restored at the end.
/// </para>
/// <para>
/// Deterministic: for a given seed, data and options the trained parameters are bit-identical run to run,
/// whatever the thread timing (gradients are accumulated per fixed shard and summed in a fixed order).
/// </para>
/// </summary>
public sealed class AttentionLstmTrainer
{
    /// <summary>
    /// Trains <paramref name="model"/> in place and returns per-epoch statistics. <paramref name="validation"/> may be
    /// empty, in which case the training loss drives early stopping.
    /// </summary>
    public TrainingResult Train(
        AttentionLstm model,
        IReadOnlyList<SequenceExample> train,
        IReadOnlyList<SequenceExample> validation,
        TrainerOptions options,
        IProgress<TrainingProgress>? progress = null,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(validation);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (train.Count == 0)
        {
            throw new ArgumentException("The training set is empty; at least one sequence is needed.", nameof(train));
        }

        CheckExamples(model, train, nameof(train));
        CheckExamples(model, validation, nameof(validation));

        var total = Stopwatch.StartNew();
        double buyWeight = options.BuyPositiveWeight ?? AutomaticPositiveWeight(train, options.MaxSequenceLength, buy: true);
        double exitWeight = options.ExitPositiveWeight ?? AutomaticPositiveWeight(train, options.MaxSequenceLength, buy: false);
        TrainingEngine engine = CreateEngine(model, options, withGradients: true, train, validation);

        float[] parameters = model.Parameters;
        var firstMoment = new double[parameters.Length];
        var secondMoment = new double[parameters.Length];
        var best = (float[])parameters.Clone();
        double bestLoss = double.PositiveInfinity;
        int bestEpoch = 0, sinceBest = 0;
        bool stoppedEarly = false;
        long adamStep = 0;

        var rng = new SplitMix64(options.Seed);
        int[] order = new int[train.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var batches = new List<(int Start, int Count)>();
        var epochs = new List<EpochRecord>();
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            ct.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            rng.Shuffle(order);
            PlanBatches(train, order, options, batches);
            int batchesPerEpoch = batches.Count;
            double buySum = 0, exitSum = 0;
            long buyCount = 0, exitCount = 0, events = 0;
            for (int batch = 0; batch < batchesPerEpoch; batch++)
            {
                ct.ThrowIfCancellationRequested();
                (int start, int count) = batches[batch];
                (long nBuy, long nExit, long nEvents) = CountTargets(train, order, start, count, engine);
                events += nEvents;
                if (nBuy + nExit > 0)
                {
                    double buyScale = nBuy > 0 ? 1.0 / nBuy : 0;
                    double exitScale = nExit > 0 ? options.ExitLossWeight / nExit : 0;
                    (double buyLoss, double exitLoss) = engine.Run(train, order, start, count, buyWeight, exitWeight, buyScale, exitScale, backward: true);
                    buySum += buyLoss;
                    exitSum += exitLoss;
                    buyCount += nBuy;
                    exitCount += nExit;
                    ClipGradient(engine.Gradient, options.GradientClipNorm, epoch, batch + 1);
                    AdamStep(parameters, engine.Gradient, firstMoment, secondMoment, ++adamStep, options);
                    model.RefreshInferenceCache();
                }

                progress?.Report(new TrainingProgress(epoch, batch + 1, batchesPerEpoch, CombineLoss(buySum, buyCount, exitSum, exitCount, options.ExitLossWeight)));
            }

            double trainSeconds = clock.Elapsed.TotalSeconds;
            double trainLoss = CombineLoss(buySum, buyCount, exitSum, exitCount, options.ExitLossWeight);
            double validationLoss = validation.Count > 0 ? Evaluate(engine, validation, buyWeight, exitWeight, options) : double.NaN;
            epochs.Add(new EpochRecord(epoch, trainLoss, validationLoss, events / Math.Max(trainSeconds, 1e-9), clock.Elapsed));

            double monitored = validation.Count > 0 ? validationLoss : trainLoss;
            if (monitored < bestLoss)
            {
                bestLoss = monitored;
                bestEpoch = epoch;
                sinceBest = 0;
                Array.Copy(parameters, best, parameters.Length);
            }
            else if (++sinceBest >= options.Patience)
            {
                stoppedEarly = epoch < options.Epochs;
                break;
            }
        }

        if (bestEpoch > 0)
        {
            Array.Copy(best, parameters, parameters.Length);
        }

        model.RefreshInferenceCache();
        return new TrainingResult(epochs, bestEpoch, bestLoss, stoppedEarly, buyWeight, exitWeight, total.Elapsed);
    }

    /// <summary>
    /// Cuts the shuffled order into minibatches: <see cref="BatchUnit.Sequences"/> takes
    /// <see cref="TrainerOptions.BatchSize"/> sequences at a time; <see cref="BatchUnit.Prefixes"/> takes whole
    /// sequences until they hold at least BatchSize prefixes (events, after truncation), so a batch of 128 holds
    /// about 128 prefix examples however long the sessions are.
    /// </summary>
    private static void PlanBatches(IReadOnlyList<SequenceExample> train, int[] order, TrainerOptions options, List<(int Start, int Count)> batches)
    {
        batches.Clear();
        if (options.BatchUnit == BatchUnit.Sequences)
        {
            for (int start = 0; start < order.Length; start += options.BatchSize)
            {
                batches.Add((start, Math.Min(options.BatchSize, order.Length - start)));
            }

            return;
        }

        int first = 0, prefixes = 0;
        for (int i = 0; i < order.Length; i++)
        {
            prefixes += Math.Min(train[order[i]].Length, options.MaxSequenceLength);
            if (prefixes >= options.BatchSize)
            {
                batches.Add((first, i - first + 1));
                first = i + 1;
                prefixes = 0;
            }
        }

        if (first < order.Length)
        {
            batches.Add((first, order.Length - first));
        }
    }

    /// <summary>
    /// Loss of <paramref name="model"/> on <paramref name="examples"/> as defined for training. Null positive weights
    /// in <paramref name="options"/> are derived from <paramref name="examples"/> themselves; pass the weights from
    /// <see cref="TrainingResult"/> to compare with the validation losses seen during training.
    /// </summary>
    public double EvaluateLoss(AttentionLstm model, IReadOnlyList<SequenceExample> examples, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        CheckExamples(model, examples, nameof(examples));
        double buyWeight = options.BuyPositiveWeight ?? AutomaticPositiveWeight(examples, options.MaxSequenceLength, buy: true);
        double exitWeight = options.ExitPositiveWeight ?? AutomaticPositiveWeight(examples, options.MaxSequenceLength, buy: false);
        TrainingEngine engine = CreateEngine(model, options, withGradients: false, examples);
        return Evaluate(engine, examples, buyWeight, exitWeight, options);
    }

    /// <summary>
    /// Minibatch loss of all <paramref name="examples"/> and its gradient (unclipped) written to <paramref name="gradient"/>.
    /// Used by the gradient check.
    /// </summary>
    internal static double LossAndGradient(
        AttentionLstm model,
        IReadOnlyList<SequenceExample> examples,
        TrainerOptions options,
        double buyWeight,
        double exitWeight,
        Span<float> gradient)
    {
        TrainingEngine engine = CreateEngine(model, options, withGradients: true, examples);
        int[] order = Enumerable.Range(0, examples.Count).ToArray();
        (long nBuy, long nExit, _) = CountTargets(examples, order, 0, examples.Count, engine);
        double buyScale = nBuy > 0 ? 1.0 / nBuy : 0;
        double exitScale = nExit > 0 ? options.ExitLossWeight / nExit : 0;
        (double buyLoss, double exitLoss) = engine.Run(examples, order, 0, examples.Count, buyWeight, exitWeight, buyScale, exitScale, backward: true);
        engine.Gradient.CopyTo(gradient);
        return CombineLoss(buyLoss, nBuy, exitLoss, nExit, options.ExitLossWeight);
    }

    /// <summary>Loss only, with explicit positive weights (used by the gradient check's finite differences).</summary>
    internal static double Loss(AttentionLstm model, IReadOnlyList<SequenceExample> examples, TrainerOptions options, double buyWeight, double exitWeight)
    {
        TrainingEngine engine = CreateEngine(model, options, withGradients: false, examples);
        return Evaluate(engine, examples, buyWeight, exitWeight, options);
    }

    /// <summary>Negatives / positives over valid (truncated) targets, capped; 1 when a class is absent.</summary>
    internal static double AutomaticPositiveWeight(IReadOnlyList<SequenceExample> examples, int maxLength, bool buy)
    {
        double positives = 0, negatives = 0;
        foreach (SequenceExample example in examples)
        {
            float[] targets = buy ? example.BuyTargets : example.ExitTargets;
            int length = Math.Min(example.Length, maxLength);
            for (int t = 0; t < length; t++)
            {
                float y = targets[t];
                if (!float.IsNaN(y))
                {
                    positives += y;
                    negatives += 1 - y;
                }
            }
        }

        return positives > 0 && negatives > 0 ? Math.Min(negatives / positives, TrainerOptions.MaxAutomaticPositiveWeight) : 1.0;
    }

    /// <summary>Engine whose buffers fit the longest (truncated) sequence of the given sets.</summary>
    private static TrainingEngine CreateEngine(AttentionLstm model, TrainerOptions options, bool withGradients, params IReadOnlyList<SequenceExample>[] sets)
    {
        int longest = 1;
        foreach (IReadOnlyList<SequenceExample> set in sets)
        {
            foreach (SequenceExample example in set)
            {
                longest = Math.Max(longest, example.Length);
            }
        }

        // Cutting at min(MaxSequenceLength, longest) truncates exactly like MaxSequenceLength alone.
        return new TrainingEngine(model, Math.Min(options.MaxSequenceLength, longest), options.DegreeOfParallelism, withGradients);
    }

    private static double Evaluate(TrainingEngine engine, IReadOnlyList<SequenceExample> examples, double buyWeight, double exitWeight, TrainerOptions options)
    {
        int[] order = Enumerable.Range(0, examples.Count).ToArray();
        (long nBuy, long nExit, _) = CountTargets(examples, order, 0, examples.Count, engine);
        (double buyLoss, double exitLoss) = engine.Run(examples, order, 0, examples.Count, buyWeight, exitWeight, 0, 0, backward: false);
        return CombineLoss(buyLoss, nBuy, exitLoss, nExit, options.ExitLossWeight);
    }

    private static double CombineLoss(double buySum, long buyCount, double exitSum, long exitCount, double exitLossWeight) =>
        (buyCount > 0 ? buySum / buyCount : 0) + (exitCount > 0 ? exitLossWeight * exitSum / exitCount : 0);

    private static (long Buy, long Exit, long Events) CountTargets(IReadOnlyList<SequenceExample> data, int[] order, int start, int count, TrainingEngine engine)
    {
        long buy = 0, exit = 0, events = 0;
        for (int i = start; i < start + count; i++)
        {
            SequenceExample example = data[order[i]];
            int length = engine.UsedLength(example);
            events += length;
            for (int t = 0; t < length; t++)
            {
                if (!float.IsNaN(example.BuyTargets[t]))
                {
                    buy++;
                }

                if (!float.IsNaN(example.ExitTargets[t]))
                {
                    exit++;
                }
            }
        }

        return (buy, exit, events);
    }

    private static void CheckExamples(AttentionLstm model, IReadOnlyList<SequenceExample> examples, string name)
    {
        for (int i = 0; i < examples.Count; i++)
        {
            SequenceExample example = examples[i] ?? throw new ArgumentException($"Sequence {i} is null.", name);
            if (example.InputSize != model.Shape.InputSize)
            {
                throw new ArgumentException(
                    $"Sequence {i} (key {example.Key}) has {example.InputSize} features per event, but the model expects InputSize = {model.Shape.InputSize}.",
                    name);
            }
        }
    }

    private static void ClipGradient(float[] gradient, double maxNorm, int epoch, int batch)
    {
        double squares = 0;
        foreach (float g in gradient)
        {
            squares += (double)g * g;
        }

        double norm = Math.Sqrt(squares);
        if (!double.IsFinite(norm))
        {
            throw new InvalidOperationException(
                $"Gradient became non-finite in epoch {epoch}, minibatch {batch}; the learning rate is probably too high for this data.");
        }

        if (norm > maxNorm)
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(gradient, (float)(maxNorm / norm), gradient);
        }
    }

    private static void AdamStep(float[] parameters, float[] gradient, double[] m, double[] v, long step, TrainerOptions options)
    {
        double beta1 = options.Beta1, beta2 = options.Beta2, epsilon = options.Epsilon;
        double correction1 = 1 - Math.Pow(beta1, step);
        double correction2 = 1 - Math.Pow(beta2, step);
        double stepSize = options.LearningRate / correction1;
        double sqrtCorrection2 = Math.Sqrt(correction2);
        for (int i = 0; i < parameters.Length; i++)
        {
            double g = gradient[i];
            double mi = m[i] = beta1 * m[i] + (1 - beta1) * g;
            double vi = v[i] = beta2 * v[i] + (1 - beta2) * g * g;
            parameters[i] -= (float)(stepSize * mi / (Math.Sqrt(vi) / sqrtCorrection2 + epsilon));
        }
    }
}
