namespace MicroMoment.Silo.Triggers;

/// <summary>Turns the ledger's counters and the running policy into an <see cref="ExperimentsReport"/> (the arithmetic is <see cref="ExperimentStatistics"/>'s).</summary>
public static class ExperimentReporter
{
    /// <summary>The mixture variance the report's mSPRT uses.</summary>
    public const double Tau2 = 0.0001;

    /// <summary>The error level of the report's intervals.</summary>
    public const double Alpha = 0.05;

    /// <summary>
    /// Conversions and non-conversions each arm needs before a lift's interval and p-value mean anything: the mSPRT
    /// treats the difference of rates as normal, which holds only once both outcomes are this common in both arms
    /// (the usual success/failure rule of the normal approximation to a binomial). Below it the lift is flagged
    /// <see cref="LiftEstimate.SampleTooSmall"/>.
    /// </summary>
    public const int MinimumOutcomes = 10;

    /// <summary>The report's method, in words.</summary>
    public static readonly string Method =
        "conversion rate = conversions / exposures (shoppers who reached a fire point; a purchase within the attribution window after the latest one converts), " +
        "95% Wilson score interval; lift = rate(variant) - rate(holdout) with the mixture sequential probability ratio test (mSPRT, normal mixture, tau^2 = 1e-4): " +
        "always-valid p-value and 95% confidence sequence (clipped to [-1, 1], the possible range of a difference of rates), valid however often the report is read; " +
        "a lift's sample counts as too small until both arms have at least " + MinimumOutcomes.ToString(System.Globalization.CultureInfo.InvariantCulture) +
        " conversions and as many non-conversions";

    /// <summary>Builds the report of <paramref name="policy"/>'s experiments plus any others the ledger counted.</summary>
    public static ExperimentsReport Build(Policy policy, AttributionLedger ledger, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(ledger);
        var keys = ledger.Keys;
        var reports = new List<ExperimentReport>();
        foreach (var e in policy.Experiments)
        {
            var arms = new List<(string Name, double? Weight)> { (AttributionLedger.HoldoutName, null) };
            arms.AddRange(e.Variants.Select(v => (v.Name, (double?)v.Weight)));
            foreach (var (experiment, variant) in keys)
            {
                if (experiment == e.Name && !arms.Any(a => a.Name == variant)) arms.Add((variant, null));
            }

            reports.Add(new ExperimentReport(e.Name, true, e.Holdout, e.Rules, Arms(ledger, e.Name, arms)));
        }

        foreach (string name in keys.Select(k => k.Experiment).Distinct().Where(n => !policy.Experiments.Any(e => e.Name == n)))
        {
            var arms = new List<(string Name, double? Weight)> { (AttributionLedger.HoldoutName, null) };
            arms.AddRange(keys.Where(k => k.Experiment == name && k.Variant != AttributionLedger.HoldoutName).Select(k => (k.Variant, (double?)null)));
            reports.Add(new ExperimentReport(name, false, null, null, Arms(ledger, name, arms)));
        }

        return new ExperimentsReport(policy.Version, at, Method, Tau2, Alpha, reports);
    }

    private static List<VariantReport> Arms(AttributionLedger ledger, string experiment, List<(string Name, double? Weight)> arms)
    {
        long holdoutExposures = ledger.Get(experiment, AttributionLedger.HoldoutName, ExperimentMetric.Exposures);
        long holdoutConversions = ledger.Get(experiment, AttributionLedger.HoldoutName, ExperimentMetric.Conversions);
        var result = new List<VariantReport>(arms.Count);
        foreach (var (name, weight) in arms)
        {
            long Get(ExperimentMetric m) => ledger.Get(experiment, name, m);
            long exposures = Get(ExperimentMetric.Exposures), conversions = Math.Min(Get(ExperimentMetric.Conversions), exposures);
            var (low, high) = ExperimentStatistics.Wilson(conversions, exposures);
            bool holdout = name == AttributionLedger.HoldoutName;
            LiftEstimate? lift = null;
            if (!holdout)
            {
                var (difference, p, lo, hi) = ExperimentStatistics.Msprt(conversions, exposures, Math.Min(holdoutConversions, holdoutExposures), holdoutExposures, Tau2, Alpha);
                long holdoutConverted = Math.Min(holdoutConversions, holdoutExposures);
                bool tooSmall = !Enough(conversions, exposures) || !Enough(holdoutConverted, holdoutExposures);
                lift = new LiftEstimate(Finite(difference), Finite(lo), Finite(hi), p, tooSmall);
            }

            result.Add(new VariantReport(
                name, holdout, weight, exposures, Get(ExperimentMetric.Proposals), Get(ExperimentMetric.Shows), Get(ExperimentMetric.Clicks),
                Get(ExperimentMetric.Dismissals), Get(ExperimentMetric.Expirations), conversions, Get(ExperimentMetric.AttributedOffers),
                exposures > 0 ? (double)conversions / exposures : null, low, high, lift));
        }

        return result;
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static bool Enough(long conversions, long exposures) => conversions >= MinimumOutcomes && exposures - conversions >= MinimumOutcomes;
}
