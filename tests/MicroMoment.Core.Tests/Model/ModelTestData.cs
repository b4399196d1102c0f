using MicroMoment.Model;

namespace MicroMoment.Tests.Model;

/// <summary>Small generated inputs for the model tests (no real data needed).</summary>
internal static class ModelTestData
{
    /// <summary>Length × D features: a mix of exact zeros (like one-hot slots) and values in [-1.5, 1.5).</summary>
    public static float[] RandomInputs(Random rng, int length, int inputSize, double zeroFraction = 0.3)
    {
        var inputs = new float[length * inputSize];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = rng.NextDouble() < zeroFraction ? 0f : (float)(rng.NextDouble() * 3 - 1.5);
        }

        return inputs;
    }

    /// <summary>A model with Glorot weights, then every parameter perturbed so biases and heads are non-trivial.</summary>
    public static AttentionLstm PerturbedModel(AttentionLstmShape shape, ulong seed, float noise, float attentionSharpness = 1f)
    {
        AttentionLstm model = AttentionLstm.Create(shape, seed);
        var rng = new Random((int)seed);
        float[] p = model.Parameters;
        for (int i = 0; i < p.Length; i++)
        {
            p[i] += (float)((rng.NextDouble() * 2 - 1) * noise);
        }

        foreach (ref float v in model.AttentionVector)
        {
            v *= attentionSharpness;
        }

        model.RefreshInferenceCache();
        return model;
    }

    /// <summary>Per-event targets: 0 or 1 with the given share of NaN (no example).</summary>
    public static float[] RandomTargets(Random rng, int length, double missingFraction)
    {
        var targets = new float[length];
        for (int t = 0; t < length; t++)
        {
            targets[t] = rng.NextDouble() < missingFraction ? float.NaN : rng.Next(2);
        }

        return targets;
    }

    /// <summary>Area under the ROC curve by the rank formula, ties get their average rank.</summary>
    public static double RocAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> labels)
    {
        int n = scores.Count;
        int[] order = Enumerable.Range(0, n).OrderBy(i => scores[i]).ToArray();
        var ranks = new double[n];
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]])
            {
                j++;
            }

            double average = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++)
            {
                ranks[order[k]] = average;
            }

            i = j + 1;
        }

        double positives = labels.Count(l => l), negatives = n - positives;
        double rankSum = Enumerable.Range(0, n).Where(i => labels[i]).Sum(i => ranks[i]);
        return (rankSum - positives * (positives + 1) / 2) / (positives * negatives);
    }
}
