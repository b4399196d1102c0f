namespace MicroMoment.Silo;

/// <summary>Every experiment's counts and statistics (GET /v1/experiments and the dashboard's experiments page).</summary>
/// <param name="PolicyVersion">The running policy's version.</param>
/// <param name="GeneratedAt">When the report was made (silo clock).</param>
/// <param name="Method">How the numbers are computed, in words.</param>
/// <param name="Tau2">The mSPRT normal mixture's variance τ².</param>
/// <param name="Alpha">The error level of the intervals (0.05: 95%).</param>
/// <param name="Experiments">Experiments of the running policy first (policy order), then experiments known only from their counters.</param>
public sealed record ExperimentsReport(string PolicyVersion, DateTimeOffset GeneratedAt, string Method, double Tau2, double Alpha, IReadOnlyList<ExperimentReport> Experiments)
{
    /// <summary>Conversions and non-conversions each arm needs before a lift is judged (below it: <see cref="LiftEstimate.SampleTooSmall"/>).</summary>
    public int MinimumOutcomes { get; init; } = Triggers.ExperimentReporter.MinimumOutcomes;

    /// <summary>The experiment named <paramref name="name"/>, or null.</summary>
    public ExperimentReport? Find(string name) => Experiments.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.Ordinal));
}

/// <summary>One experiment: its arms, the holdout first.</summary>
/// <param name="Name">Experiment name.</param>
/// <param name="Active">True when the running policy has it (false: only its counters remain, e.g. after a reload removed it).</param>
/// <param name="Holdout">The configured holdout share (null when inactive).</param>
/// <param name="Rules">The rules it governs (null: all; also null when inactive).</param>
/// <param name="Variants">The holdout, then the variants in policy order, then variants known only from their counters.</param>
public sealed record ExperimentReport(string Name, bool Active, double? Holdout, IReadOnlyList<string>? Rules, IReadOnlyList<VariantReport> Variants);

/// <summary>One arm's counters and statistics.</summary>
/// <param name="Name">Variant name ("holdout" for the holdout).</param>
/// <param name="IsHoldout">True for the holdout.</param>
/// <param name="Weight">The configured weight among the variants (null for the holdout and arms no longer configured).</param>
/// <param name="Exposures">Shoppers who reached a fire point, once each.</param>
/// <param name="Proposals">Offers proposed (0 for the holdout).</param>
/// <param name="Shows">Offers confirmed shown.</param>
/// <param name="Clicks">Offers clicked.</param>
/// <param name="Dismissals">Offers dismissed.</param>
/// <param name="Expirations">Offers that expired unconfirmed (not shown within the policy's proposal time to live, by the silo clock).</param>
/// <param name="Conversions">Exposed shoppers who bought within the attribution window, once each.</param>
/// <param name="AttributedOffers">Shown or clicked offers credited with a purchase.</param>
/// <param name="ConversionRate">Conversions / exposures, or null without exposures.</param>
/// <param name="RateLow">Lower end of the 95% Wilson score interval (0 without exposures).</param>
/// <param name="RateHigh">Upper end of the 95% Wilson score interval (1 without exposures).</param>
/// <param name="Lift">Against the holdout; null for the holdout itself.</param>
public sealed record VariantReport(
    string Name, bool IsHoldout, double? Weight, long Exposures, long Proposals, long Shows, long Clicks, long Dismissals, long Expirations, long Conversions, long AttributedOffers,
    double? ConversionRate, double RateLow, double RateHigh, LiftEstimate? Lift);

/// <summary>Lift of a variant's conversion rate over the holdout's, with the mSPRT's always-valid inference.</summary>
/// <param name="Difference">rate(variant) − rate(holdout), or null while either has no exposures.</param>
/// <param name="Low">Lower end of the always-valid confidence sequence (at least −1), or null while undefined (no variance yet).</param>
/// <param name="High">Upper end of the always-valid confidence sequence (at most 1), or null while undefined.</param>
/// <param name="PValue">Always-valid p-value (1 while undefined).</param>
/// <param name="SampleTooSmall">True while the variant or the holdout has fewer than <see cref="ExperimentsReport.MinimumOutcomes"/> conversions or
/// non-conversions: the normal approximation behind the interval and p-value does not hold yet, so they say little.</param>
public sealed record LiftEstimate(double? Difference, double? Low, double? High, double PValue, bool SampleTooSmall);
