using MicroMoment.Model;
using Xunit.Abstractions;

namespace MicroMoment.Tests.Model;

public class GradientCheckTests(ITestOutputHelper output)
{
    [Fact]
    public void AnalyticGradientOfTheFullLossMatchesCentralFiniteDifferencesForEveryParameter()
    {
        var shape = new AttentionLstmShape(3, 4, 3);
        AttentionLstm model = ModelTestData.PerturbedModel(shape, 17, noise: 0.5f, attentionSharpness: 2.5f);
        var rng = new Random(31);
        var examples = new List<SequenceExample>();
        foreach (int length in new[] { 1, 3, 5, 7, 7 })
        {
            examples.Add(new SequenceExample(
                ModelTestData.RandomInputs(rng, length, shape.InputSize, zeroFraction: 0.2),
                length,
                ModelTestData.RandomTargets(rng, length, 0.3),
                ModelTestData.RandomTargets(rng, length, 0.3),
                key: length));
        }

        // MaxSequenceLength 6 also checks that truncation is applied consistently to loss and gradient.
        var options = new TrainerOptions { ExitLossWeight = 0.5, MaxSequenceLength = 6, DegreeOfParallelism = 1 };
        const double buyWeight = 2.5, exitWeight = 0.7;
        var analytic = new float[shape.ParameterCount];
        double loss = AttentionLstmTrainer.LossAndGradient(model, examples, options, buyWeight, exitWeight, analytic);
        Assert.Equal(loss, AttentionLstmTrainer.Loss(model, examples, options, buyWeight, exitWeight), 12);

        const float eps = 4e-3f;
        float[] p = model.Parameters;
        double worst = 0;
        string worstAt = "";
        foreach (ParameterBlock block in model.Layout.Blocks)
        {
            double largest = 0;
            for (int i = block.Offset; i < block.End; i++)
            {
                float original = p[i];
                float up = original + eps, down = original - eps;
                p[i] = up;
                model.RefreshInferenceCache();
                double lossUp = AttentionLstmTrainer.Loss(model, examples, options, buyWeight, exitWeight);
                p[i] = down;
                model.RefreshInferenceCache();
                double lossDown = AttentionLstmTrainer.Loss(model, examples, options, buyWeight, exitWeight);
                p[i] = original;
                model.RefreshInferenceCache();

                double numeric = (lossUp - lossDown) / ((double)up - down);
                double error = Math.Abs(numeric - analytic[i]);
                double tolerance = 2e-5 + 2e-3 * Math.Abs(numeric);
                if (error / tolerance > worst)
                {
                    worst = error / tolerance;
                    worstAt = $"{block.Name}[{i - block.Offset}]: analytic {analytic[i]}, numeric {numeric}";
                }

                largest = Math.Max(largest, Math.Abs(analytic[i]));
                if (!(error <= tolerance))
                {
                    Assert.Fail($"{block.Name}[{i - block.Offset}]: analytic {analytic[i]}, numeric {numeric} (tolerance {tolerance}).");
                }
            }

            // Every block must carry signal, otherwise the comparison above proves nothing for it.
            Assert.True(largest > 1e-3, $"{block.Name}: largest gradient {largest} is too small to check.");
        }

        output.WriteLine($"worst error / tolerance = {worst:F3} at {worstAt}");
    }
}
