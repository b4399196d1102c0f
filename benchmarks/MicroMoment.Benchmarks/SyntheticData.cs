using MicroMoment.Model;

namespace MicroMoment.Benchmarks;

/// <summary>Generated inputs for the benchmarks (deterministic for a seed).</summary>
public static class SyntheticData
{
    /// <summary>Rows × D features; a <paramref name="zeroFraction"/> share are exact zeros (like one-hot slots), the rest in [-1, 1).</summary>
    public static float[] Inputs(int rows, int inputSize, double zeroFraction, int seed)
    {
        var rng = new Random(seed);
        var values = new float[rows * inputSize];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = rng.NextDouble() < zeroFraction ? 0f : (float)(rng.NextDouble() * 2 - 1);
        }

        return values;
    }

    /// <summary>Sequences with lengths in [minLength, maxLength], a buy and an exit target on every event.</summary>
    public static List<SequenceExample> Sequences(int count, int inputSize, int minLength, int maxLength, int seed)
    {
        var rng = new Random(seed);
        var list = new List<SequenceExample>(count);
        for (int s = 0; s < count; s++)
        {
            int length = rng.Next(minLength, maxLength + 1);
            float[] inputs = Inputs(length, inputSize, 0.5, rng.Next());
            var buy = new float[length];
            var exit = new float[length];
            for (int t = 0; t < length; t++)
            {
                buy[t] = inputs[t * inputSize] > 0.3f ? 1f : 0f;
                exit[t] = t == length - 1 ? 1f : 0f;
            }

            list.Add(new SequenceExample(inputs, length, buy, exit, s));
        }

        return list;
    }
}
