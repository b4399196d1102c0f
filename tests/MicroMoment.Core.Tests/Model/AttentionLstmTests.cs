using MicroMoment.Model;

namespace MicroMoment.Tests.Model;

public class AttentionLstmTests
{
    private const float Tolerance = 1e-5f;

    [Fact]
    public void StreamingStepsEqualWholeSequenceForwardForEveryPrefix()
    {
        var rng = new Random(7);
        foreach ((AttentionLstmShape shape, float sharpness) in new[]
        {
            (new AttentionLstmShape(7, 16, 8), 1f),
            (new AttentionLstmShape(5, 12, 6), 12f), // peaky attention: the running max changes often
            (new AttentionLstmShape(60, 64, 32), 1f),
        })
        {
            AttentionLstm model = ModelTestData.PerturbedModel(shape, 11, noise: 0.3f, attentionSharpness: sharpness);
            var state = new float[model.StateSize];
            for (int sequence = 0; sequence < 12; sequence++)
            {
                int length = rng.Next(1, 61);
                float[] inputs = ModelTestData.RandomInputs(rng, length, shape.InputSize);
                var buy = new float[length];
                var exit = new float[length];
                model.ForwardSequence(inputs, length, buy, exit);

                model.ResetState(state);
                for (int t = 0; t < length; t++)
                {
                    StepOutput output = model.Step(inputs.AsSpan(t * shape.InputSize, shape.InputSize), state);
                    AssertClose(buy[t], output.BuyLogit, $"buy logit, {shape}, length {length}, step {t}");
                    AssertClose(exit[t], output.ExitLogit, $"exit logit, {shape}, length {length}, step {t}");
                }
            }
        }
    }

    [Fact]
    public void AttentionWeightsAreTheSoftmaxOfTheStreamedScores()
    {
        var rng = new Random(3);
        var shape = new AttentionLstmShape(4, 8, 5);
        AttentionLstm model = ModelTestData.PerturbedModel(shape, 5, noise: 0.2f, attentionSharpness: 6f);
        const int length = 9;
        float[] inputs = ModelTestData.RandomInputs(rng, length, shape.InputSize);
        var state = new float[model.StateSize];
        model.ResetState(state);
        var scores = new double[length];
        for (int t = 0; t < length; t++)
        {
            scores[t] = model.Step(inputs.AsSpan(t * 4, 4), state).AttentionScore;
        }

        float[] weights = model.AttentionWeights(inputs, length);
        double max = scores.Max();
        double total = scores.Sum(s => Math.Exp(s - max));
        Assert.Equal(length, weights.Length);
        for (int t = 0; t < length; t++)
        {
            AssertClose((float)(Math.Exp(scores[t] - max) / total), weights[t], $"weight {t}");
        }

        Assert.Equal(1.0, weights.Sum(w => (double)w), 5);
        Assert.True(weights.Max() - weights.Min() > 0.05f, "sharpened attention should not be uniform");
    }

    [Fact]
    public void StepBatchEqualsStepRowByRowForUsersAtDifferentPointsOfTheirSessions()
    {
        var rng = new Random(21);
        var shape = new AttentionLstmShape(60, 64, 32);
        AttentionLstm model = ModelTestData.PerturbedModel(shape, 3, noise: 0.2f, attentionSharpness: 3f);
        foreach ((int batch, int threads) in new[] { (1, 2), (5, 2), (63, 2), (64, 2), (300, 2), (300, 1), (300, 3) })
        {
            int stateSize = model.StateSize;
            var states = new float[batch * stateSize];
            for (int r = 0; r < batch; r++)
            {
                Span<float> state = states.AsSpan(r * stateSize, stateSize);
                model.ResetState(state);
                int history = rng.Next(0, 6);
                for (int t = 0; t < history; t++)
                {
                    model.Step(ModelTestData.RandomInputs(rng, 1, shape.InputSize), state);
                }
            }

            float[] inputs = ModelTestData.RandomInputs(rng, batch, shape.InputSize);
            var expectedStates = (float[])states.Clone();
            var expected = new StepOutput[batch];
            for (int r = 0; r < batch; r++)
            {
                expected[r] = model.Step(inputs.AsSpan(r * shape.InputSize, shape.InputSize), expectedStates.AsSpan(r * stateSize, stateSize));
            }

            using var workspace = new BatchWorkspace(shape, 300) { DegreeOfParallelism = threads };
            var buy = new float[batch];
            var exit = new float[batch];
            var scores = new float[batch];
            model.StepBatch(inputs, states, buy, exit, scores, workspace);

            for (int r = 0; r < batch; r++)
            {
                AssertClose(expected[r].BuyLogit, buy[r], $"buy logit, batch {batch}, row {r}");
                AssertClose(expected[r].ExitLogit, exit[r], $"exit logit, batch {batch}, row {r}");
                AssertClose(expected[r].AttentionScore, scores[r], $"attention score, batch {batch}, row {r}");
            }

            for (int i = 0; i < states.Length; i++)
            {
                if (float.IsNegativeInfinity(expectedStates[i]))
                {
                    Assert.Equal(expectedStates[i], states[i]);
                }
                else
                {
                    AssertClose(expectedStates[i], states[i], $"state float {i % stateSize} of row {i / stateSize}, batch {batch}");
                }
            }
        }
    }

    [Fact]
    public void StepAllocatesNothing()
    {
        var shape = new AttentionLstmShape(60, 64, 32);
        AttentionLstm model = AttentionLstm.Create(shape, 1);
        float[] inputs = ModelTestData.RandomInputs(new Random(1), 1000, 60);
        var state = new float[model.StateSize];
        model.ResetState(state);
        for (int i = 0; i < 200; i++)
        {
            model.Step(inputs.AsSpan(i * 60, 60), state);
        }

        float sum = 0;
        long allocated = SteadyStateAllocations.Measure(i => sum += model.Step(inputs.AsSpan(i * 60, 60), state).BuyLogit, 1000);
        Assert.Equal(0, allocated);
        Assert.True(float.IsFinite(sum));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(256)]
    public void StepBatchAllocatesNothingWithAWorkspace(int batch)
    {
        var shape = new AttentionLstmShape(60, 64, 32);
        AttentionLstm model = AttentionLstm.Create(shape, 1);
        float[] inputs = ModelTestData.RandomInputs(new Random(2), batch, 60);
        var states = new float[batch * model.StateSize];
        for (int r = 0; r < batch; r++)
        {
            model.ResetState(states.AsSpan(r * model.StateSize, model.StateSize));
        }

        var buy = new float[batch];
        var exit = new float[batch];
        var scores = new float[batch];
        using var workspace = new BatchWorkspace(shape, batch) { DegreeOfParallelism = 2 };
        for (int i = 0; i < 50; i++)
        {
            model.StepBatch(inputs, states, buy, exit, scores, workspace);
        }

        long allocated = SteadyStateAllocations.Measure(_ => model.StepBatch(inputs, states, buy, exit, scores, workspace), 1000);
        Assert.Equal(0, allocated);
        Assert.All(buy, b => Assert.True(float.IsFinite(b)));
    }

    [Fact]
    public void DisposedWorkspaceCannotBeUsed()
    {
        var shape = new AttentionLstmShape(2, 4, 2);
        AttentionLstm model = AttentionLstm.Create(shape, 1);
        var workspace = new BatchWorkspace(shape, 128) { DegreeOfParallelism = 2 };
        var states = new float[128 * model.StateSize];
        for (int r = 0; r < 128; r++)
        {
            model.ResetState(states.AsSpan(r * model.StateSize, model.StateSize));
        }

        model.StepBatch(new float[256], states, new float[128], new float[128], new float[128], workspace);
        workspace.Dispose();
        Assert.Throws<ObjectDisposedException>(() =>
            model.StepBatch(new float[256], states, new float[128], new float[128], new float[128], workspace));
    }

    [Fact]
    public void CreateIsDeterministicForASeedAndFollowsTheInitialisationRules()
    {
        var shape = new AttentionLstmShape(10, 8, 4);
        AttentionLstm first = AttentionLstm.Create(shape, 42);
        AttentionLstm second = AttentionLstm.Create(shape, 42);
        AttentionLstm other = AttentionLstm.Create(shape, 43);
        Assert.Equal(first.Parameters, second.Parameters);
        Assert.NotEqual(first.Parameters, other.Parameters);

        Assert.Equal(shape.ParameterCount, first.Parameters.Length);
        Assert.Equal(first.Layout.Count, first.Parameters.Length);
        float[] bias = first.GateBias.ToArray();
        Assert.All(bias[..8], b => Assert.Equal(0f, b));
        Assert.All(bias[8..16], b => Assert.Equal(1f, b));
        Assert.All(bias[16..], b => Assert.Equal(0f, b));
        float limit = MathF.Sqrt(6f / (10 + 8));
        Assert.All(first.InputWeights.ToArray(), w => Assert.InRange(w, -limit, limit));
        Assert.True(first.InputWeights.ToArray().Max() > limit * 0.8f, "weights should fill the Glorot range");
        Assert.Equal(0f, first.BuyHeadBias);
    }

    [Fact]
    public void LayoutBlocksTileTheParameterArrayInOrder()
    {
        var layout = new AttentionLstmLayout(new AttentionLstmShape(5, 6, 7));
        int offset = 0;
        foreach (ParameterBlock block in layout.Blocks)
        {
            Assert.Equal(offset, block.Offset);
            offset = block.End;
        }

        Assert.Equal(layout.Count, offset);
        Assert.Equal((24, 5), (layout.InputWeights.Rows, layout.InputWeights.Columns));
        Assert.Equal((7, 6), (layout.AttentionProjection.Rows, layout.AttentionProjection.Columns));
        Assert.Equal(12, layout.BuyHeadWeights.Length);
    }

    [Fact]
    public void FromParametersCopiesAndReproducesTheModel()
    {
        var shape = new AttentionLstmShape(3, 4, 2);
        AttentionLstm model = ModelTestData.PerturbedModel(shape, 9, 0.3f);
        AttentionLstm copy = AttentionLstm.FromParameters(shape, model.Parameters);
        Assert.NotSame(model.Parameters, copy.Parameters);
        float[] inputs = ModelTestData.RandomInputs(new Random(4), 5, 3);
        var a = new float[5];
        var b = new float[5];
        var unused = new float[5];
        model.ForwardSequence(inputs, 5, a, unused);
        copy.ForwardSequence(inputs, 5, b, unused);
        Assert.Equal(a, b);
    }

    [Fact]
    public void ChangedParametersTakeEffectAfterRefreshingTheInferenceCache()
    {
        var shape = new AttentionLstmShape(3, 4, 2);
        AttentionLstm model = AttentionLstm.Create(shape, 1);
        float[] x = [1f, 0.5f, -1f];
        var state = new float[model.StateSize];
        model.ResetState(state);
        float before = model.Step(x, state).BuyLogit;

        model.InputWeights[0] += 2f;
        model.RefreshInferenceCache();
        model.ResetState(state);
        float after = model.Step(x, state).BuyLogit;
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void WrongLengthsAreRejectedWithExpectedAndActualSizes()
    {
        var shape = new AttentionLstmShape(6, 4, 3);
        AttentionLstm model = AttentionLstm.Create(shape, 1);
        var state = new float[model.StateSize];
        model.ResetState(state);

        var ex = Assert.Throws<ArgumentException>(() => model.Step(new float[5], state));
        Assert.Contains("InputSize = 6", ex.Message);
        Assert.Contains("got 5", ex.Message);

        ex = Assert.Throws<ArgumentException>(() => model.Step(new float[6], new float[13]));
        Assert.Contains("14", ex.Message);
        Assert.Contains("got 13", ex.Message);

        ex = Assert.Throws<ArgumentException>(() => AttentionLstm.FromParameters(shape, new float[10]));
        Assert.Contains($"{shape.ParameterCount}", ex.Message);
        Assert.Contains("got 10", ex.Message);

        ex = Assert.Throws<ArgumentException>(() => model.ForwardSequence(new float[12], 3, new float[3], new float[3]));
        Assert.Contains("18", ex.Message);

        float[] withNaN = [0, 1, 2, float.NaN, 4, 5];
        ex = Assert.Throws<ArgumentException>(() => model.Step(withNaN, state));
        Assert.Contains("Input feature 3 is NaN", ex.Message);

        var workspace = new BatchWorkspace(shape, 4);
        float[] batchWithInfinity = new float[12];
        batchWithInfinity[10] = float.PositiveInfinity;
        ex = Assert.Throws<ArgumentException>(() =>
            model.StepBatch(batchWithInfinity, new float[28], new float[2], new float[2], new float[2], workspace));
        Assert.Contains("Input feature 4 of row 1 is", ex.Message);

        ex = Assert.Throws<ArgumentException>(() =>
            model.StepBatch(new float[12], new float[27], new float[2], new float[2], new float[2], workspace));
        Assert.Contains("28", ex.Message);
        Assert.Contains("got 27", ex.Message);

        ex = Assert.Throws<ArgumentException>(() =>
            model.StepBatch(new float[30], new float[70], new float[5], new float[5], new float[5], workspace));
        Assert.Contains("capacity of 4", ex.Message);

        ex = Assert.Throws<ArgumentException>(() =>
            model.StepBatch(new float[12], new float[28], new float[2], new float[2], new float[2], new BatchWorkspace(new AttentionLstmShape(6, 5, 3), 4)));
        Assert.Contains("Workspace was built for", ex.Message);
    }

    [Theory]
    [InlineData(0, 4, 3, "InputSize")]
    [InlineData(3, -1, 3, "HiddenSize")]
    [InlineData(3, 4, 0, "AttentionSize")]
    public void NonPositiveShapeSizesAreRejectedByName(int input, int hidden, int attention, string name)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new AttentionLstmShape(input, hidden, attention));
        Assert.Equal(name, ex.ParamName);
        Assert.Contains("must be between 1 and", ex.Message);
    }

    private static void AssertClose(float expected, float actual, string what)
    {
        float tolerance = Tolerance * Math.Max(1f, Math.Abs(expected));
        if (!(Math.Abs(expected - actual) <= tolerance))
        {
            Assert.Fail($"{what}: expected {expected}, got {actual} (tolerance {tolerance}).");
        }
    }
}
