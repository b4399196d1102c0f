namespace MicroMoment.Grains;

/// <summary>
/// The experiment counters of the whole cluster (key <see cref="Key"/>): exposures, proposals, shows, clicks,
/// dismissals, expirations, conversions and attributed offers per experiment and arm. Each silo adds what its grains
/// counted about once a second, so the grain sees a few calls per second whatever the event rate.
/// </summary>
[Alias("mm.IExperimentCounterGrain")]
public interface IExperimentCounterGrain : IGrainWithStringKey
{
    /// <summary>The key of the one counter grain.</summary>
    public const string Key = "experiments";

    /// <summary>Adds counts and stores them before returning.</summary>
    [Alias("Add")]
    Task AddAsync(ExperimentCount[] delta);

    /// <summary>The totals so far, ordered by experiment, variant and metric.</summary>
    [Alias("Get")]
    Task<ExperimentCount[]> GetAsync();
}

/// <summary>One counter of one experiment's arm.</summary>
/// <param name="Experiment">Experiment name.</param>
/// <param name="Variant">Arm ("holdout" for the holdout).</param>
/// <param name="Metric">Metric name (e.g. Exposures, Conversions).</param>
/// <param name="Value">The count (or, when adding, the amount to add).</param>
[GenerateSerializer]
[Alias("mm.ExperimentCount")]
[Immutable]
public sealed record ExperimentCount(string Experiment, string Variant, string Metric, long Value);
