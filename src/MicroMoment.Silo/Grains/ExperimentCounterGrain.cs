using MicroMoment.Grains;

namespace MicroMoment.Silo.Grains;

/// <summary>
/// The cluster's experiment counters (see <see cref="IExperimentCounterGrain"/>): totals per (experiment, variant,
/// metric), written to storage on every addition so a restart loses nothing that was added.
/// </summary>
internal sealed class ExperimentCounterGrain(
    [PersistentState("experiments", UserGrain.StorageName)] IPersistentState<ExperimentCounterState> store,
    SiloContext context) : Grain, IExperimentCounterGrain
{
    /// <inheritdoc/>
    public async Task AddAsync(ExperimentCount[] delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        if (delta.Length == 0) return;
        var totals = store.State.Totals;
        foreach (var count in delta)
        {
            string key = ExperimentCounterState.KeyOf(count.Experiment, count.Variant, count.Metric);
            totals[key] = totals.GetValueOrDefault(key) + count.Value;
        }

        if (context.Persistent) await store.WriteStateAsync().ConfigureAwait(true);
    }

    /// <inheritdoc/>
    public Task<ExperimentCount[]> GetAsync()
    {
        var rows = new List<ExperimentCount>(store.State.Totals.Count);
        foreach (var (key, value) in store.State.Totals)
        {
            var (experiment, variant, metric) = ExperimentCounterState.Split(key);
            rows.Add(new ExperimentCount(experiment, variant, metric, value));
        }

        rows.Sort(static (a, b) =>
        {
            int c = string.CompareOrdinal(a.Experiment, b.Experiment);
            if (c == 0) c = string.CompareOrdinal(a.Variant, b.Variant);
            return c != 0 ? c : string.CompareOrdinal(a.Metric, b.Metric);
        });
        return Task.FromResult(rows.ToArray());
    }
}

/// <summary>What the experiment counter grain stores: each counter under "experiment\u001Fvariant\u001Fmetric".</summary>
[GenerateSerializer]
[Alias("mm.ExperimentCounterState")]
internal sealed class ExperimentCounterState
{
    private const char Separator = '\u001F';

    /// <summary>The totals.</summary>
    [Id(0)]
    public Dictionary<string, long> Totals { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The key of a counter.</summary>
    public static string KeyOf(string experiment, string variant, string metric) => string.Join(Separator, experiment, variant, metric);

    /// <summary>Splits a key made by <see cref="KeyOf"/>.</summary>
    public static (string Experiment, string Variant, string Metric) Split(string key)
    {
        var parts = key.Split(Separator);
        return parts.Length == 3 ? (parts[0], parts[1], parts[2]) : throw new InvalidDataException($"Stored experiment counter key '{key}' does not have three parts.");
    }
}
