namespace MicroMoment.Silo.Triggers;

/// <summary>An experiment: users are bucketed by a stable hash of (experiment, tenant, user) into a holdout and variants.</summary>
/// <param name="Name">Experiment name (part of the hash: renaming reshuffles).</param>
/// <param name="Holdout">Share of users scored but never offered anything (0 ≤ h &lt; 1).</param>
/// <param name="Variants">The arms.</param>
/// <param name="Rules">The rules it governs (null: all).</param>
public sealed record PolicyExperiment(string Name, double Holdout, IReadOnlyList<ExperimentVariant> Variants, IReadOnlyList<string>? Rules)
{
    /// <summary>True when the experiment governs <paramref name="rule"/>.</summary>
    public bool Governs(string rule) => Rules is null || Contains(Rules, rule);

    /// <summary>True when variant <paramref name="variant"/> enables <paramref name="rule"/>.</summary>
    public bool Enables(int variant, string rule) => Variants[variant].Rules is not { } rules || Contains(rules, rule);

    private static bool Contains(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal)) return true;
        }

        return false;
    }
}
