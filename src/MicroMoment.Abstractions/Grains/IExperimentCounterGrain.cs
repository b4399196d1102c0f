namespace MicroMoment.Grains;

/// <summary>
/// The counters of one experiment (key: its name) for the whole cluster: exposures, proposals, shows, clicks, dismissals,
/// expirations, conversions and attributed offers per arm. Each silo adds what its grains counted, in batches.
/// </summary>
[Alias("mm.IExperimentCounterGrain")]
public interface IExperimentCounterGrain : IGrainWithStringKey
{
    /// <summary>Adds counts (variant → metric → delta) and stores them before returning.</summary>
    [Alias("Add")]
    Task AddAsync(ExperimentCounts delta);

    /// <summary>The totals so far.</summary>
    [Alias("Get")]
    Task<ExperimentCounts> GetAsync();
}

/// <summary>Counts of one experiment: per variant name, per metric name.</summary>
/// <param name="Counts">variant → metric → count.</param>
[GenerateSerializer]
[Alias("mm.ExperimentCounts")]
[Immutable]
public sealed record ExperimentCounts(Dictionary<string, Dictionary<string, long>> Counts);
