namespace MicroMoment.Gateway.Dashboard;

/// <summary>
/// The human names of grain classes on the Grains page: MicroMoment's grains by class, Orleans' own by namespace; any
/// other class is shown under its own name.
/// </summary>
internal static class DashboardGrainTypes
{
    /// <summary>MicroMoment's grain classes, in the order the page lists them: class full name → (name, purpose).</summary>
    public static readonly IReadOnlyList<(string Class, string Name, string Purpose)> Known =
    [
        ("MicroMoment.Silo.Grains.UserGrain", "user", "one shopper: session, network state, scores, attention, consent, dedup"),
        ("MicroMoment.Silo.Grains.TriggerGrain", "trigger", "one shopper's offer policy, placed on its user grain's silo and called only when a rule's signal reaches its threshold (or on a purchase once it holds state): rules, cooldown, session cap, offer life cycle"),
        ("MicroMoment.Silo.Grains.ClusterCentroidGrain", "cluster-centroid", "the behavioral clusters of the model version (a stateless worker per silo, read by user views and this dashboard)"),
        ("MicroMoment.Silo.Grains.ExperimentCounterGrain", "experiment-counter", "the experiment counters of the cluster (each silo hands its deltas over every second)"),
    ];

    /// <summary>The page's name and purpose of <paramref name="grainClass"/>.</summary>
    public static (string Name, string Purpose) Describe(string grainClass)
    {
        foreach (var (cls, name, purpose) in Known)
        {
            if (cls == grainClass) return (name, purpose);
        }

        int dot = grainClass.LastIndexOf('.');
        string shortName = dot < 0 ? grainClass : grainClass[(dot + 1)..];
        if (grainClass.StartsWith("Orleans.Dashboard.", StringComparison.Ordinal)) return (shortName, "Orleans' dashboard");
        if (grainClass.StartsWith("Orleans.", StringComparison.Ordinal)) return (shortName, "Orleans runtime");
        return (shortName, "");
    }
}
