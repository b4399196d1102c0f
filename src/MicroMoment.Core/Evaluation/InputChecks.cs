namespace MicroMoment.Evaluation;

/// <summary>Argument validation shared by the metric, calibration and baseline code.</summary>
internal static class InputChecks
{
    /// <summary>Throws unless both spans have the same length and every label is 0 or 1; returns the number of positives.</summary>
    public static int LabelsAndLength(int valueCount, ReadOnlySpan<byte> labels, string valuesName, string labelsName = "labels")
    {
        if (valueCount != labels.Length)
        {
            throw new ArgumentException(
                $"{valuesName} has {valueCount} entries but {labelsName} has {labels.Length}; expected one label per value.",
                labelsName);
        }

        int positives = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            byte y = labels[i];
            if (y > 1)
            {
                throw new ArgumentException(
                    $"{labelsName}[{i}] is {y}; expected 0 (negative) or 1 (positive).", labelsName);
            }

            positives += y;
        }

        return positives;
    }

    /// <summary>Throws when any score is NaN or infinite.</summary>
    public static void FiniteScores(ReadOnlySpan<float> scores, string name)
    {
        for (int i = 0; i < scores.Length; i++)
        {
            if (!float.IsFinite(scores[i]))
            {
                throw new ArgumentException($"{name}[{i}] is {scores[i]}; expected a finite number.", name);
            }
        }
    }

    /// <summary>Throws unless every value is a probability in [0, 1].</summary>
    public static void Probabilities(ReadOnlySpan<float> probabilities, string name)
    {
        for (int i = 0; i < probabilities.Length; i++)
        {
            float p = probabilities[i];
            if (!(p >= 0f && p <= 1f))
            {
                throw new ArgumentException($"{name}[{i}] is {p}; expected a probability in [0, 1].", name);
            }
        }
    }

    /// <summary>Indices of <paramref name="scores"/> sorted by ascending score (ties in unspecified order).</summary>
    public static int[] AscendingOrder(ReadOnlySpan<float> scores, out float[] sortedScores)
    {
        sortedScores = scores.ToArray();
        var order = new int[scores.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(sortedScores, order);
        return order;
    }
}
