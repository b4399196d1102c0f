namespace MicroMoment.Evaluation;

/// <summary>
/// Isotonic (monotone non-decreasing) calibration fitted by pool-adjacent-violators. Each pooled block spans
/// [lowest score, highest score] at one value; <see cref="Apply"/> is flat inside a block, interpolates linearly
/// between blocks and is clamped outside the fitted range.
/// </summary>
public sealed class IsotonicCalibrator : IProbabilityCalibrator
{
    private readonly float[] _thresholds;
    private readonly float[] _values;

    /// <summary>Creates a calibrator from saved breakpoints.</summary>
    /// <param name="thresholds">Strictly increasing finite scores.</param>
    /// <param name="values">Non-decreasing probabilities in [0, 1], one per threshold.</param>
    /// <exception cref="ArgumentException">The arrays are empty, differ in length, or break the ordering rules.</exception>
    public IsotonicCalibrator(float[] thresholds, float[] values)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentNullException.ThrowIfNull(values);
        if (thresholds.Length == 0 || thresholds.Length != values.Length)
        {
            throw new ArgumentException(
                $"Expected equally long, non-empty threshold and value arrays; got {thresholds.Length} thresholds and {values.Length} values.");
        }

        for (int i = 0; i < thresholds.Length; i++)
        {
            if (!float.IsFinite(thresholds[i]) || (i > 0 && !(thresholds[i] > thresholds[i - 1])))
            {
                throw new ArgumentException($"thresholds[{i}] = {thresholds[i]}; expected finite, strictly increasing thresholds.", nameof(thresholds));
            }

            if (!(values[i] >= 0f && values[i] <= 1f) || (i > 0 && values[i] < values[i - 1]))
            {
                throw new ArgumentException($"values[{i}] = {values[i]}; expected non-decreasing probabilities in [0, 1].", nameof(values));
            }
        }

        _thresholds = (float[])thresholds.Clone();
        _values = (float[])values.Clone();
    }

    /// <summary>The breakpoints (strictly increasing scores); a copy, safe to save.</summary>
    public float[] Thresholds => (float[])_thresholds.Clone();

    /// <summary>The calibrated probability at each breakpoint (non-decreasing); a copy, safe to save.</summary>
    public float[] Values => (float[])_values.Clone();

    /// <inheritdoc/>
    public string Method => "isotonic";

    /// <inheritdoc/>
    /// <remarks>NaN input gives NaN.</remarks>
    public float Apply(float logitOrScore)
    {
        var t = _thresholds;
        if (float.IsNaN(logitOrScore))
        {
            return float.NaN;
        }

        if (logitOrScore <= t[0])
        {
            return _values[0];
        }

        if (logitOrScore >= t[^1])
        {
            return _values[^1];
        }

        int hi = Array.BinarySearch(t, logitOrScore);
        if (hi >= 0)
        {
            return _values[hi];
        }

        hi = ~hi;
        int lo = hi - 1;
        float fraction = (logitOrScore - t[lo]) / (t[hi] - t[lo]);
        return _values[lo] + (fraction * (_values[hi] - _values[lo]));
    }

    /// <summary>Fits the monotone step function minimising squared error to the labels (pool-adjacent-violators).</summary>
    /// <exception cref="ArgumentException">Empty input, lengths differ, labels are not 0/1, or a score is not finite.</exception>
    public static IsotonicCalibrator Fit(ReadOnlySpan<float> scores, ReadOnlySpan<byte> labels)
    {
        InputChecks.LabelsAndLength(scores.Length, labels, nameof(scores));
        InputChecks.FiniteScores(scores, nameof(scores));
        if (scores.Length == 0)
        {
            throw new ArgumentException("Isotonic calibration needs at least one example; got none.", nameof(scores));
        }

        var order = InputChecks.AscendingOrder(scores, out var sorted);

        // Blocks as a stack: [low score, high score, weight, mean].
        var low = new List<float>();
        var high = new List<float>();
        var weight = new List<double>();
        var mean = new List<double>();
        for (int i = 0; i < sorted.Length;)
        {
            float s = sorted[i];
            double w = 0, sum = 0;
            while (i < sorted.Length && sorted[i] == s)
            {
                sum += labels[order[i]];
                w++;
                i++;
            }

            low.Add(s);
            high.Add(s);
            weight.Add(w);
            mean.Add(sum / w);
            while (mean.Count > 1 && mean[^2] >= mean[^1])
            {
                int k = mean.Count - 1;
                double merged = weight[k - 1] + weight[k];
                mean[k - 1] = ((mean[k - 1] * weight[k - 1]) + (mean[k] * weight[k])) / merged;
                weight[k - 1] = merged;
                high[k - 1] = high[k];
                low.RemoveAt(k);
                high.RemoveAt(k);
                weight.RemoveAt(k);
                mean.RemoveAt(k);
            }
        }

        var thresholds = new List<float>(low.Count * 2);
        var values = new List<float>(low.Count * 2);
        for (int k = 0; k < low.Count; k++)
        {
            float v = (float)mean[k];
            thresholds.Add(low[k]);
            values.Add(v);
            if (high[k] > low[k])
            {
                thresholds.Add(high[k]);
                values.Add(v);
            }
        }

        return new IsotonicCalibrator(thresholds.ToArray(), values.ToArray());
    }
}
