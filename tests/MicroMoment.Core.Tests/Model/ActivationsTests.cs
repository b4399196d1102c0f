using MicroMoment.Model;

namespace MicroMoment.Tests.Model;

public class ActivationsTests
{
    [Fact]
    public void SigmoidAndTanhAreAccurateAcrossTheWholeRange()
    {
        var values = new List<float>();
        for (double x = -100; x <= 100; x += 0.0137)
        {
            values.Add((float)x);
        }

        values.AddRange([0f, -0f, 1e-6f, -1e-6f, 1e-30f, 87.5f, -87.5f, 200f, -200f]);
        float[] sigmoid = values.ToArray();
        float[] tanh = new float[sigmoid.Length];
        Activations.Sigmoid(sigmoid);
        Activations.Tanh(values.ToArray(), tanh);

        for (int i = 0; i < values.Count; i++)
        {
            double x = values[i];
            double expectedSigmoid = 1 / (1 + Math.Exp(-x));
            double expectedTanh = Math.Tanh(x);
            double sigmoidError = Math.Abs(sigmoid[i] - expectedSigmoid);
            if (!(sigmoidError <= 3e-7 * expectedSigmoid + 1e-38))
            {
                Assert.Fail($"sigmoid({x}) = {sigmoid[i]}, expected {expectedSigmoid}.");
            }

            if (!(Math.Abs(tanh[i] - expectedTanh) <= 1.5e-7))
            {
                Assert.Fail($"tanh({x}) = {tanh[i]}, expected {expectedTanh}.");
            }
        }
    }

    [Fact]
    public void VectorLanesAndScalarTailGiveIdenticalBits()
    {
        var rng = new Random(8);
        float[] values = Enumerable.Range(0, 203).Select(_ => (float)(rng.NextDouble() * 40 - 20)).ToArray();
        float[] vector = (float[])values.Clone();
        Activations.Sigmoid(vector);
        float[] tanhVector = new float[values.Length];
        Activations.Tanh(values, tanhVector);
        for (int i = 0; i < values.Length; i++)
        {
            Assert.Equal(Activations.Sigmoid(values[i]), vector[i]);
            Assert.Equal(Activations.Tanh(values[i]), tanhVector[i]);
        }
    }

    [Fact]
    public void LstmPointwiseUpdateFollowsTheCellEquations()
    {
        const int h = 11; // one vector of 8 plus a scalar tail of 3
        var rng = new Random(4);
        float[] gates = Enumerable.Range(0, 4 * h).Select(_ => (float)(rng.NextDouble() * 6 - 3)).ToArray();
        float[] previous = Enumerable.Range(0, h).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        float[] pre = (float[])gates.Clone();
        var cell = new float[h];
        var cellTanh = new float[h];
        var hidden = new float[h];
        Activations.LstmPointwise(gates, previous, cell, cellTanh, hidden);
        for (int j = 0; j < h; j++)
        {
            double i = 1 / (1 + Math.Exp(-pre[j])), f = 1 / (1 + Math.Exp(-pre[h + j]));
            double g = Math.Tanh(pre[2 * h + j]), o = 1 / (1 + Math.Exp(-pre[3 * h + j]));
            double c = f * previous[j] + i * g;
            Assert.Equal(i, gates[j], 1e-6);
            Assert.Equal(g, gates[2 * h + j], 1e-6);
            Assert.Equal(c, cell[j], 1e-5);
            Assert.Equal(Math.Tanh(c), cellTanh[j], 1e-5);
            Assert.Equal(o * Math.Tanh(c), hidden[j], 1e-5);
        }
    }
}
