namespace MicroMoment.Silo.Triggers;

/// <summary>
/// A policy file that cannot be used: names the file, the line (where the text has one), the path of the bad field and
/// what was expected.
/// </summary>
public sealed class PolicyException : Exception
{
    /// <summary>Creates the error for <paramref name="field"/> of <paramref name="source"/>, with no line (e.g. an unreadable file).</summary>
    public PolicyException(string source, string field, string problem)
        : this(source, field, problem, null, null, null)
    {
    }

    /// <summary>Creates the error for <paramref name="field"/> of <paramref name="source"/> at a 1-based line and column.</summary>
    public PolicyException(string source, string field, string problem, int? line, int? column = null, Exception? innerException = null)
        : base($"Policy {source}{Where(line, column)}: {field}: {problem}", innerException)
    {
        Source = source;
        Field = field;
        Problem = problem;
        Line = line;
        Column = column;
    }

    /// <summary>The file (or label) the policy came from.</summary>
    public new string Source { get; }

    /// <summary>The path of the bad field, e.g. <c>rules[1].thresholds.clusters.bargain</c>, or <c>(document)</c>.</summary>
    public string Field { get; }

    /// <summary>What was wrong and what was expected.</summary>
    public string Problem { get; }

    /// <summary>The 1-based line of the text the error is about, or null when it concerns the file as a whole.</summary>
    public int? Line { get; }

    /// <summary>The 1-based column on <see cref="Line"/>, or null.</summary>
    public int? Column { get; }

    private static string Where(int? line, int? column) => line switch
    {
        null => string.Empty,
        { } l when column is { } c => $", line {l}, column {c}",
        { } l => $", line {l}",
    };
}
