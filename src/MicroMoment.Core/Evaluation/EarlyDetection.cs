namespace MicroMoment.Evaluation;

/// <summary>
/// Evaluates a score as an early warning: does it cross the threshold before the shopper buys, and how early?
/// For purchasing sessions only prefixes strictly before the first purchase count (the probability after the
/// purchase event itself, and anything later, is ignored); a session whose first event is the purchase can never
/// be detected early. Non-purchasing sessions count as false alarms when flagged at any event.
/// </summary>
public static class EarlyDetection
{
    /// <summary>Evaluates one threshold over all sessions.</summary>
    /// <exception cref="ArgumentException">A trace is malformed (lengths differ, bad purchase index, NaN probability).</exception>
    public static EarlyDetectionResult Evaluate(IReadOnlyList<SessionTrace> sessions, float threshold)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        if (float.IsNaN(threshold))
        {
            throw new ArgumentException("The threshold is NaN; expected a probability.", nameof(threshold));
        }

        int purchasing = 0, nonPurchasing = 0, falseAlarms = 0;
        var leadEvents = new List<double>();
        var leadSeconds = new List<double>();
        for (int s = 0; s < sessions.Count; s++)
        {
            var trace = sessions[s] ?? throw new ArgumentException($"sessions[{s}] is null; expected a trace.", nameof(sessions));
            Validate(trace, s);
            var p = trace.Probabilities;
            if (trace.FirstPurchaseIndex >= 0)
            {
                purchasing++;
                for (int i = 0; i < trace.FirstPurchaseIndex; i++)
                {
                    if (p[i] >= threshold)
                    {
                        leadEvents.Add(trace.FirstPurchaseIndex - i);
                        leadSeconds.Add((trace.Times[trace.FirstPurchaseIndex] - trace.Times[i]).TotalSeconds);
                        break;
                    }
                }
            }
            else
            {
                nonPurchasing++;
                for (int i = 0; i < p.Length; i++)
                {
                    if (p[i] >= threshold)
                    {
                        falseAlarms++;
                        break;
                    }
                }
            }
        }

        return new EarlyDetectionResult(
            threshold,
            purchasing,
            nonPurchasing,
            leadEvents.Count,
            purchasing == 0 ? double.NaN : (double)leadEvents.Count / purchasing,
            Median(leadEvents),
            leadEvents.Count == 0 ? double.NaN : leadEvents.Average(),
            Median(leadSeconds),
            leadSeconds.Count == 0 ? double.NaN : leadSeconds.Average(),
            falseAlarms,
            nonPurchasing == 0 ? double.NaN : (double)falseAlarms / nonPurchasing);
    }

    /// <summary>Evaluates several thresholds (e.g. to plot detection rate against false-alarm rate).</summary>
    public static EarlyDetectionResult[] Sweep(IReadOnlyList<SessionTrace> sessions, IEnumerable<float> thresholds)
    {
        ArgumentNullException.ThrowIfNull(thresholds);
        return thresholds.Select(t => Evaluate(sessions, t)).ToArray();
    }

    private static void Validate(SessionTrace trace, int position)
    {
        if (trace.Probabilities is null || trace.Times is null || trace.Probabilities.Length != trace.Times.Length)
        {
            throw new ArgumentException(
                $"Session {trace.SessionId} (position {position}) has {trace.Probabilities?.Length ?? 0} probabilities and " +
                $"{trace.Times?.Length ?? 0} times; expected one probability and one time per event.", "sessions");
        }

        if (trace.FirstPurchaseIndex < -1 || trace.FirstPurchaseIndex >= trace.Probabilities.Length)
        {
            throw new ArgumentException(
                $"Session {trace.SessionId} has FirstPurchaseIndex {trace.FirstPurchaseIndex}; expected −1 or an event index below {trace.Probabilities.Length}.",
                "sessions");
        }

        for (int i = 0; i < trace.Probabilities.Length; i++)
        {
            if (float.IsNaN(trace.Probabilities[i]))
            {
                throw new ArgumentException($"Session {trace.SessionId} has a NaN probability at event {i}; expected a number.", "sessions");
            }
        }
    }

    private static double Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        values.Sort();
        int mid = values.Count / 2;
        return values.Count % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
