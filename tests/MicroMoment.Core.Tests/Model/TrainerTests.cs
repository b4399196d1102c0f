using MicroMoment.Model;
using Xunit.Abstractions;

namespace MicroMoment.Tests.Model;

public class TrainerTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(OrderRule.LastTwoAreAThenB)]
    [InlineData(OrderRule.AsComeEarlierOnAverage)]
    public void ModelLearnsAnOrderDependentLabelThatNoFunctionOfTheEventCountsCanPredict(OrderRule rule)
    {
        // Every session has exactly four A and four B events in random order and is labelled by the order alone.
        // Count vectors are identical for every session, so any counts-based model is at AUC 0.5.
        var rng = new Random(2024);
        List<SequenceExample> train = OrderSessions(rng, 1200, rule);
        List<SequenceExample> validation = OrderSessions(rng, 300, rule);
        List<SequenceExample> test = OrderSessions(rng, 600, rule);

        var counts = train.Concat(test).Select(CountVector).Distinct().ToList();
        Assert.Single(counts);
        bool[] labels = test.Select(s => s.BuyTargets[^1] == 1f).ToArray();
        Assert.InRange(labels.Count(l => l), 100, 350);
        double countsBaseline = ModelTestData.RocAuc(test.Select(s => (double)CountVector(s).GetHashCode()).ToArray(), labels);
        Assert.Equal(0.5, countsBaseline, 9);

        var shape = new AttentionLstmShape(2, 16, 8);
        AttentionLstm model = AttentionLstm.Create(shape, 5);
        var options = new TrainerOptions { Epochs = 12, BatchSize = 32, LearningRate = 1e-2, Patience = 3, Seed = 9 };
        TrainingResult result = new AttentionLstmTrainer().Train(model, train, validation, options);

        var scores = new double[test.Count];
        var buy = new float[8];
        var exit = new float[8];
        for (int i = 0; i < test.Count; i++)
        {
            model.ForwardSequence(test[i].Inputs, 8, buy, exit);
            scores[i] = buy[^1];
        }

        double auc = ModelTestData.RocAuc(scores, labels);
        output.WriteLine($"held-out AUC {auc:F4} after {result.Epochs.Count} epochs (best {result.BestEpoch}), " +
            $"losses {string.Join(", ", result.Epochs.Select(e => $"{e.TrainLoss:F3}/{e.ValidationLoss:F3}"))}, " +
            $"{result.Epochs[^1].EventsPerSecond:N0} events/s");
        Assert.True(auc > 0.9, $"held-out ROC-AUC {auc:F3} should exceed 0.9");
        Assert.Equal(result.Epochs.Min(e => e.ValidationLoss), result.BestLoss);
    }

    [Fact]
    public void TrainingIsBitIdenticalForTheSameSeedWhateverTheThreadCount()
    {
        List<SequenceExample> data = RandomSessions(new Random(1), 70, inputSize: 4);
        float[] Train(int threads, ulong seed)
        {
            AttentionLstm model = AttentionLstm.Create(new AttentionLstmShape(4, 8, 4), 3);
            var options = new TrainerOptions { Epochs = 3, BatchSize = 16, LearningRate = 5e-3, DegreeOfParallelism = threads, Seed = seed, Patience = 5 };
            new AttentionLstmTrainer().Train(model, data, data.Take(10).ToList(), options);
            return model.Parameters;
        }

        float[] first = Train(2, 77);
        float[] second = Train(2, 77);
        float[] single = Train(1, 77);
        float[] otherSeed = Train(2, 78);
        Assert.Equal(Bits(first), Bits(second));
        Assert.Equal(Bits(first), Bits(single));
        Assert.NotEqual(Bits(first), Bits(otherSeed));
        Assert.NotEqual(Bits(first), Bits(AttentionLstm.Create(new AttentionLstmShape(4, 8, 4), 3).Parameters));
    }

    [Fact]
    public void EarlyStoppingRestoresTheWeightsOfTheBestEpoch()
    {
        // Validation labels are the opposite of the training labels, so validation loss rises as training succeeds.
        var rng = new Random(12);
        List<SequenceExample> train = RandomSessions(rng, 60, inputSize: 3, labelFromFirstFeature: true);
        List<SequenceExample> validation = train
            .Select(s => new SequenceExample(s.Inputs, s.Length, s.BuyTargets.Select(y => float.IsNaN(y) ? y : 1 - y).ToArray(), s.ExitTargets, s.Key))
            .ToList();
        var shape = new AttentionLstmShape(3, 8, 4);
        var options = new TrainerOptions { Epochs = 10, BatchSize = 10, LearningRate = 2e-2, Patience = 2, Seed = 4 };

        AttentionLstm model = AttentionLstm.Create(shape, 8);
        TrainingResult result = new AttentionLstmTrainer().Train(model, train, validation, options);
        Assert.True(result.StoppedEarly);
        Assert.Equal(result.BestEpoch + options.Patience, result.Epochs.Count);
        Assert.True(result.Epochs[^1].ValidationLoss > result.BestLoss);

        // The same run cut at the best epoch ends with exactly the restored weights.
        AttentionLstm reference = AttentionLstm.Create(shape, 8);
        new AttentionLstmTrainer().Train(reference, train, validation, new TrainerOptions
        {
            Epochs = result.BestEpoch, BatchSize = 10, LearningRate = 2e-2, Patience = 2, Seed = 4,
        });
        Assert.Equal(Bits(reference.Parameters), Bits(model.Parameters));
        Assert.Equal(result.BestLoss, new AttentionLstmTrainer().EvaluateLoss(model, validation, new TrainerOptions
        {
            BuyPositiveWeight = result.BuyPositiveWeight, ExitPositiveWeight = result.ExitPositiveWeight,
        }), 9);
    }

    [Fact]
    public void PrefixBatchesHoldAtLeastBatchSizePrefixesOfWholeSessions()
    {
        List<SequenceExample> data = RandomSessions(new Random(6), 40, inputSize: 3);
        int totalPrefixes = data.Sum(d => d.Length);
        var reports = new List<TrainingProgress>();
        var options = new TrainerOptions { Epochs = 1, BatchSize = 30, Patience = 5 };
        new AttentionLstmTrainer().Train(AttentionLstm.Create(new AttentionLstmShape(3, 4, 2), 1), data, [], options, new SynchronousProgress(reports));

        int batches = reports[^1].BatchesPerEpoch;
        Assert.InRange(batches, 1, (totalPrefixes + 29) / 30);
        Assert.True(batches >= totalPrefixes / (30 + data.Max(d => d.Length)), $"{batches} batches for {totalPrefixes} prefixes");
    }

    [Fact]
    public void ProgressIsReportedAfterEveryMinibatchAndEpochsAreRecorded()
    {
        List<SequenceExample> data = RandomSessions(new Random(5), 25, inputSize: 3);
        var reports = new List<TrainingProgress>();
        var options = new TrainerOptions { Epochs = 2, BatchSize = 10, Patience = 5, BatchUnit = BatchUnit.Sequences };
        TrainingResult result = new AttentionLstmTrainer().Train(
            AttentionLstm.Create(new AttentionLstmShape(3, 4, 2), 1), data, [], options, new SynchronousProgress(reports));

        Assert.Equal(6, reports.Count);
        Assert.Equal([1, 2, 3, 1, 2, 3], reports.Select(r => r.Batch));
        Assert.All(reports, r => Assert.Equal(3, r.BatchesPerEpoch));
        Assert.All(reports, r => Assert.True(r.TrainLoss > 0));
        Assert.Equal(2, result.Epochs.Count);
        Assert.All(result.Epochs, e => Assert.True(double.IsNaN(e.ValidationLoss)));
        // The speed is the epoch's training events over its training phase, which the epoch's time includes: over that
        // whole time it accounts for at least every event of the data (lengths under 12, never truncated).
        int events = data.Sum(d => d.Length);
        Assert.All(result.Epochs, e => Assert.True(e.EventsPerSecond * e.Elapsed.TotalSeconds >= events * (1 - 1e-9),
            $"{e.EventsPerSecond:0.0} events/s over {e.Elapsed.TotalMilliseconds:0.000} ms is fewer than the {events} training events"));
        Assert.Equal(reports[^1].TrainLoss, result.Epochs[^1].TrainLoss);
    }

    [Fact]
    public void AutomaticPositiveWeightIsTheNegativeToPositiveRatioCappedAtFifty()
    {
        float nan = float.NaN;
        var examples = new List<SequenceExample>
        {
            new(new float[4], 4, [1, 0, 0, nan], [0, 0, 0, 0]),
            new(new float[3], 3, [0, 0, 0], [0, 0, 0]),
        };
        Assert.Equal(5.0, AttentionLstmTrainer.AutomaticPositiveWeight(examples, 200, buy: true));
        Assert.Equal(1.0, AttentionLstmTrainer.AutomaticPositiveWeight(examples, 200, buy: false));
        Assert.Equal(2.0, AttentionLstmTrainer.AutomaticPositiveWeight(examples.Take(1).ToList(), 200, buy: true));

        var rare = new List<SequenceExample> { new(new float[100], 100, Enumerable.Range(0, 100).Select(i => i == 0 ? 1f : 0f).ToArray(), new float[100]) };
        Assert.Equal(TrainerOptions.MaxAutomaticPositiveWeight, AttentionLstmTrainer.AutomaticPositiveWeight(rare, 200, buy: true));
    }

    [Fact]
    public void SequencesLongerThanTheMaximumAreCutToTheirFirstEvents()
    {
        List<SequenceExample> data = RandomSessions(new Random(6), 30, inputSize: 3);
        List<SequenceExample> cut = data
            .Select(s =>
            {
                int n = Math.Min(s.Length, 4);
                return new SequenceExample(s.Inputs[..(n * 3)], n, s.BuyTargets[..n], s.ExitTargets[..n], s.Key);
            })
            .ToList();
        AttentionLstm model = ModelTestData.PerturbedModel(new AttentionLstmShape(3, 6, 3), 2, 0.3f);
        var weights = new TrainerOptions { BuyPositiveWeight = 2, ExitPositiveWeight = 3 };
        var truncating = new TrainerOptions { BuyPositiveWeight = 2, ExitPositiveWeight = 3, MaxSequenceLength = 4 };
        var trainer = new AttentionLstmTrainer();

        double expected = trainer.EvaluateLoss(model, cut, weights);
        Assert.Equal(expected, trainer.EvaluateLoss(model, data, truncating), 12);
        Assert.NotEqual(expected, trainer.EvaluateLoss(model, data, weights), 6);
    }

    [Fact]
    public void CancellationStopsTraining()
    {
        List<SequenceExample> data = RandomSessions(new Random(5), 20, inputSize: 3);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => new AttentionLstmTrainer().Train(
            AttentionLstm.Create(new AttentionLstmShape(3, 4, 2), 1), data, [], new TrainerOptions(), ct: cts.Token));
    }

    [Fact]
    public void BadTrainingInputsAreRejectedWithClearMessages()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SequenceExample(new float[7], 3, new float[3], new float[3]));
        Assert.Contains("not a positive multiple of 3", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new SequenceExample(new float[6], 3, new float[2], new float[3]));
        Assert.Contains("Expected 3 targets", ex.Message);
        Assert.Contains("got 2", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new SequenceExample(new float[6], 3, [0, 2, 1], new float[3]));
        Assert.Contains("expected 0, 1 or NaN", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new SequenceExample([0, float.NaN, 0, 0], 2, new float[2], new float[2]));
        Assert.Contains("must be finite", ex.Message);

        var model = AttentionLstm.Create(new AttentionLstmShape(3, 4, 2), 1);
        var wrongWidth = new List<SequenceExample> { new(new float[8], 2, new float[2], new float[2], key: 42) };
        ex = Assert.Throws<ArgumentException>(() => new AttentionLstmTrainer().Train(model, wrongWidth, [], new TrainerOptions()));
        Assert.Contains("4 features per event", ex.Message);
        Assert.Contains("InputSize = 3", ex.Message);

        var ok = new List<SequenceExample> { new(new float[6], 2, new float[2], new float[2]) };
        ex = Assert.Throws<ArgumentException>(() => new AttentionLstmTrainer().Train(model, ok, [], new TrainerOptions { BatchSize = 0 }));
        Assert.Contains("BatchSize must be at least 1, but was 0", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new AttentionLstmTrainer().Train(model, [], [], new TrainerOptions()));
        Assert.Contains("training set is empty", ex.Message);
    }

    /// <summary>Order-only labels for the sessions of four A and four B events.</summary>
    public enum OrderRule
    {
        /// <summary>Positive when the last two events are A then B.</summary>
        LastTwoAreAThenB,

        /// <summary>Positive when the mean position of the A events is smaller than that of the B events.</summary>
        AsComeEarlierOnAverage,
    }

    private static List<SequenceExample> OrderSessions(Random rng, int count, OrderRule rule)
    {
        var sessions = new List<SequenceExample>(count);
        for (int s = 0; s < count; s++)
        {
            int[] kinds = [0, 0, 0, 0, 1, 1, 1, 1];
            rng.Shuffle(kinds);
            var inputs = new float[16];
            for (int t = 0; t < 8; t++)
            {
                inputs[t * 2 + kinds[t]] = 1f;
            }

            var buy = Enumerable.Repeat(float.NaN, 8).ToArray();
            int positionsOfA = Enumerable.Range(0, 8).Where(t => kinds[t] == 0).Sum();
            bool positive = rule == OrderRule.LastTwoAreAThenB
                ? kinds[6] == 0 && kinds[7] == 1
                : positionsOfA < 14; // 14 = half of 0 + 1 + ... + 7
            buy[7] = positive ? 1f : 0f;
            sessions.Add(new SequenceExample(inputs, 8, buy, Enumerable.Repeat(float.NaN, 8).ToArray(), s));
        }

        return sessions;
    }

    private static (float A, float B) CountVector(SequenceExample session)
    {
        float a = 0, b = 0;
        for (int t = 0; t < session.Length; t++)
        {
            a += session.Inputs[t * 2];
            b += session.Inputs[t * 2 + 1];
        }

        return (a, b);
    }

    private static List<SequenceExample> RandomSessions(Random rng, int count, int inputSize, bool labelFromFirstFeature = false)
    {
        var sessions = new List<SequenceExample>(count);
        for (int s = 0; s < count; s++)
        {
            int length = rng.Next(1, 12);
            float[] inputs = ModelTestData.RandomInputs(rng, length, inputSize);
            float[] buy = labelFromFirstFeature
                ? Enumerable.Range(0, length).Select(t => inputs[t * inputSize] > 0 ? 1f : 0f).ToArray()
                : ModelTestData.RandomTargets(rng, length, 0.2);
            sessions.Add(new SequenceExample(inputs, length, buy, ModelTestData.RandomTargets(rng, length, 0.5), s));
        }

        return sessions;
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    private sealed class SynchronousProgress(List<TrainingProgress> reports) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => reports.Add(value);
    }
}
