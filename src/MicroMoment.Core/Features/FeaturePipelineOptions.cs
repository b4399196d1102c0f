namespace MicroMoment.Features;

/// <summary>Options of <see cref="FeaturePipeline.Fit"/>, with named defaults.</summary>
public sealed record FeaturePipelineOptions
{
    /// <summary>The smallest k the sweep tries (when <see cref="K"/> is not set).</summary>
    public int KMin { get; init; } = 2;

    /// <summary>The largest k the sweep tries (when <see cref="K"/> is not set).</summary>
    public int KMax { get; init; } = 8;

    /// <summary>A fixed number of clusters; null to choose k by sweeping <see cref="KMin"/>..<see cref="KMax"/>.</summary>
    public int? K { get; init; }

    /// <summary>Seed of every random choice (K-Means seeding, samples); the same seed and data give the same pipeline.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Lloyd iterations per K-Means fit.</summary>
    public int MaxIterations { get; init; } = 100;

    /// <summary>Sessions in the silhouette sample.</summary>
    public int SilhouetteSampleSize { get; init; } = 3000;

    /// <summary>At most this many sessions (a deterministic sample) are used to fit K-Means; all are assigned.</summary>
    public int ClusteringSampleSize { get; init; } = 50_000;

    /// <summary>Sessions in the PCA scatter sample (at most 2,000).</summary>
    public int ProjectionSampleSize { get; init; } = 2000;

    /// <summary>Threads for K-Means and the silhouette; results do not depend on it.</summary>
    public int DegreeOfParallelism { get; init; } = 2;

    /// <summary>
    /// Distinct hours of day (UTC, 0–23) the training events must cover for the hour-of-day features to be used; with
    /// fewer, those features are held at 0, because live traffic at the hours training never saw would be clamped to
    /// the edge of the seen range and scored on an extrapolation. Default 20; 0 always uses them. The weekday
    /// features likewise need all seven weekdays.
    /// </summary>
    public int MinHoursOfDay { get; init; } = 20;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it and the expected range.</exception>
    public void Validate()
    {
        if (K is int k)
        {
            if (k < 1) throw new ArgumentException($"FeaturePipelineOptions.K is {k}; expected at least 1 (or null to sweep).");
        }
        else
        {
            if (KMin < 2) throw new ArgumentException($"FeaturePipelineOptions.KMin is {KMin}; expected at least 2 (the silhouette compares clusters).");
            if (KMax < KMin) throw new ArgumentException($"FeaturePipelineOptions.KMax is {KMax}; expected at least KMin ({KMin}).");
        }
        if (MinHoursOfDay is < 0 or > 24) throw new ArgumentException($"FeaturePipelineOptions.MinHoursOfDay is {MinHoursOfDay}; expected 0 (always use the time features) to 24.");
        if (MaxIterations < 1) throw new ArgumentException($"FeaturePipelineOptions.MaxIterations is {MaxIterations}; expected at least 1.");
        if (SilhouetteSampleSize < 2) throw new ArgumentException($"FeaturePipelineOptions.SilhouetteSampleSize is {SilhouetteSampleSize}; expected at least 2.");
        int needed = K ?? KMax;
        if (ClusteringSampleSize < needed)
            throw new ArgumentException($"FeaturePipelineOptions.ClusteringSampleSize is {ClusteringSampleSize}; expected at least the largest k ({needed}).");
        if (ProjectionSampleSize is < 1 or > 2000)
            throw new ArgumentException($"FeaturePipelineOptions.ProjectionSampleSize is {ProjectionSampleSize}; expected 1..2000.");
        if (DegreeOfParallelism < 1) throw new ArgumentException($"FeaturePipelineOptions.DegreeOfParallelism is {DegreeOfParallelism}; expected at least 1.");
    }
}
