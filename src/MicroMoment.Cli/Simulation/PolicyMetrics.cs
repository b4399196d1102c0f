using MicroMoment.Silo.Triggers;

namespace MicroMoment.Cli.Simulation;

/// <summary>
/// What a policy did over a log, per session (sessions as the grains opened them). A fire point is an offer or a
/// holdout shopper's would-be offer: the policy's targeting, whichever arm the shopper is in.
/// </summary>
internal sealed record PolicyMetrics
{
    /// <summary>Scored events.</summary>
    public long Events { get; init; }

    /// <summary>Sessions.</summary>
    public int Sessions { get; init; }

    /// <summary>Sessions whose last event is less than a session timeout before the end of the log (they might have continued).</summary>
    public int CensoredSessions { get; init; }

    /// <summary>Sessions with a purchase.</summary>
    public int PurchasingSessions { get; init; }

    /// <summary>Sessions without a purchase.</summary>
    public int NonPurchasingSessions { get; init; }

    /// <summary>Sessions with at least one fire point.</summary>
    public int TriggeredSessions { get; init; }

    /// <summary>Triggered sessions that purchased (at any point of the session).</summary>
    public int TriggeredPurchasingSessions { get; init; }

    /// <summary>Triggered sessions that did not purchase.</summary>
    public int TriggeredNonPurchasingSessions { get; init; }

    /// <summary>Purchasing sessions whose first fire point came before their first purchase.</summary>
    public int CoveredSessions { get; init; }

    /// <summary>Offers and holdout would-be offers.</summary>
    public long FirePoints { get; init; }

    /// <summary>Offers made.</summary>
    public long Offers { get; init; }

    /// <summary>Would-be offers of holdout shoppers.</summary>
    public long HoldoutFires { get; init; }

    /// <summary>Fire points per 1,000 sessions.</summary>
    public double TriggersPer1000Sessions => Sessions == 0 ? double.NaN : 1000.0 * FirePoints / Sessions;

    /// <summary>Offers per 1,000 sessions (holdout excluded).</summary>
    public double OffersPer1000Sessions => Sessions == 0 ? double.NaN : 1000.0 * Offers / Sessions;

    /// <summary>Triggered sessions that purchased, over triggered sessions.</summary>
    public Rate Precision { get; init; }

    /// <summary>Purchasing sessions triggered before their first purchase, over purchasing sessions.</summary>
    public Rate Coverage { get; init; }

    /// <summary>Triggered sessions without a purchase, over sessions without a purchase (the share of non-buyers interrupted).</summary>
    public Rate FalseAlarmRate { get; init; }

    /// <summary><see cref="Precision"/> over sessions the log did not cut off.</summary>
    public Rate ClosedPrecision { get; init; }

    /// <summary><see cref="FalseAlarmRate"/> over sessions the log did not cut off.</summary>
    public Rate ClosedFalseAlarmRate { get; init; }

    /// <summary>Events from the first fire point to the first purchase, over covered sessions.</summary>
    public Spread LeadTimeEvents { get; init; }

    /// <summary>Seconds from the first fire point to the first purchase, over covered sessions.</summary>
    public Spread LeadTimeSeconds { get; init; }

    /// <summary>Decisions not to fire, by reason code (holdout included).</summary>
    public IReadOnlyDictionary<string, long> SuppressionsByReason { get; init; } = new Dictionary<string, long>();

    /// <summary>Expected value of the triggered sessions under the cost model (covered buyers gain, everyone else interrupted costs).</summary>
    public double ExpectedValue { get; init; }

    /// <summary><see cref="ExpectedValue"/> per 1,000 sessions.</summary>
    public double ExpectedValuePer1000Sessions => Sessions == 0 ? double.NaN : 1000.0 * ExpectedValue / Sessions;
}

/// <summary>A proportion with its 95% Wilson score interval.</summary>
/// <param name="Successes">The numerator.</param>
/// <param name="Trials">The denominator.</param>
internal readonly record struct Rate(long Successes, long Trials)
{
    /// <summary>The proportion, NaN without trials.</summary>
    public double Value => Trials == 0 ? double.NaN : (double)Successes / Trials;

    /// <summary>Lower end of the 95% Wilson interval.</summary>
    public double Low => Trials == 0 ? double.NaN : ExperimentStatistics.Wilson(Successes, Trials).Low;

    /// <summary>Upper end of the 95% Wilson interval.</summary>
    public double High => Trials == 0 ? double.NaN : ExperimentStatistics.Wilson(Successes, Trials).High;

    /// <summary>A rate of <paramref name="successes"/> in <paramref name="trials"/>.</summary>
    public static Rate Of(long successes, long trials) => new(successes, trials);

    /// <summary>"12.3% (41 / 333, 95% CI 9.2–16.3%)", or "n/a" without trials.</summary>
    public override string ToString() => Trials == 0
        ? "n/a"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Value:P1} ({Successes:N0} / {Trials:N0}, 95% CI {Low:P1}–{High:P1})");
}

/// <summary>The median and quartiles of a sample.</summary>
/// <param name="Count">Sample size.</param>
/// <param name="P25">First quartile.</param>
/// <param name="Median">Median.</param>
/// <param name="P75">Third quartile.</param>
internal readonly record struct Spread(int Count, double P25, double Median, double P75)
{
    /// <summary>Quartiles by linear interpolation between order statistics; NaN for an empty sample.</summary>
    public static Spread Of(List<double> values)
    {
        if (values.Count == 0) return new Spread(0, double.NaN, double.NaN, double.NaN);
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return new Spread(sorted.Length, Quantile(sorted, 0.25), Quantile(sorted, 0.5), Quantile(sorted, 0.75));
    }

    /// <summary>"median 4 (IQR 2–9, n = 57)", or "n/a" for an empty sample.</summary>
    public string Describe(string format = "0.#") => Count == 0
        ? "n/a"
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"median {Median.ToString(format, System.Globalization.CultureInfo.InvariantCulture)} (IQR {P25.ToString(format, System.Globalization.CultureInfo.InvariantCulture)}–{P75.ToString(format, System.Globalization.CultureInfo.InvariantCulture)}, n = {Count:N0})");

    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(position);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((position - lo) * (sorted[hi] - sorted[lo]));
    }
}
