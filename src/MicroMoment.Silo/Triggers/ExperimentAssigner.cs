using MicroMoment.Silo.Grains;

namespace MicroMoment.Silo.Triggers;

/// <summary>
/// Buckets shoppers into an experiment's holdout or variants: a stable 64-bit hash of (experiment, tenant, user)
/// (FNV-1a + SplitMix64, the same in every process) becomes a uniform u in [0, 1); u below the holdout share →
/// holdout, otherwise the variants split the rest by weight. Allocates nothing.
/// </summary>
public static class ExperimentAssigner
{
    /// <summary>The holdout's index.</summary>
    public const int Holdout = -1;

    /// <summary>The uniform draw in [0, 1) of the shopper for the experiment.</summary>
    public static double Draw(string experiment, string tenant, string userId)
    {
        ulong hash = StableHash.Mix(StableHash.Of(tenant, userId) ^ StableHash.Of(experiment));
        return (hash >> 11) * (1.0 / (1UL << 53));
    }

    /// <summary>The variant index of the shopper, or <see cref="Holdout"/>.</summary>
    public static int Assign(PolicyExperiment experiment, string tenant, string userId)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        double u = Draw(experiment.Name, tenant, userId);
        if (u < experiment.Holdout) return Holdout;
        double total = 0;
        var variants = experiment.Variants;
        for (int i = 0; i < variants.Count; i++) total += variants[i].Weight;
        double at = (u - experiment.Holdout) / (1 - experiment.Holdout) * total, running = 0;
        for (int i = 0; i < variants.Count; i++)
        {
            running += variants[i].Weight;
            if (at < running) return i;
        }

        return variants.Count - 1;
    }
}
