namespace MicroMoment.Silo.Triggers;

/// <summary>A policy file that cannot be used: names the file, the path of the bad field and what was expected.</summary>
public sealed class PolicyException : Exception
{
    /// <summary>Creates the error for <paramref name="field"/> of <paramref name="source"/>.</summary>
    public PolicyException(string source, string field, string problem)
        : base($"Policy {source}: {field}: {problem}")
    {
        Source = source;
        Field = field;
        Problem = problem;
    }

    /// <summary>The file (or label) the policy came from.</summary>
    public new string Source { get; }

    /// <summary>The path of the bad field, e.g. <c>rules[1].thresholds.clusters.bargain</c>.</summary>
    public string Field { get; }

    /// <summary>What was wrong and what was expected.</summary>
    public string Problem { get; }
}
