using MicroMoment.Evaluation;
using MicroMoment.Scoring;
using MicroMoment.Sessions;

namespace MicroMoment.Training;

/// <summary>All splits of a run, with summaries over repeats.</summary>
/// <param name="options">The options the run used.</param>
/// <param name="runs">Every split, time splits first.</param>
/// <param name="population">Statistics of every session of the log, before sampling.</param>
/// <param name="used">Statistics of the sessions the splits were drawn from (the sample, or all of them).</param>
public sealed class ExperimentResult(ExperimentOptions options, IReadOnlyList<SplitRun> runs, SessionStatistics population, SessionStatistics used)
{
    /// <summary>The options the run used.</summary>
    public ExperimentOptions Options { get; } = options;

    /// <summary>Statistics of every session of the log, before sampling.</summary>
    public SessionStatistics Population { get; } = population;

    /// <summary>Statistics of the sessions the splits were drawn from.</summary>
    public SessionStatistics Used { get; } = used;

    /// <summary>True when the run used a sample of the log's sessions (see <see cref="ExperimentOptions.MaxSessions"/>).</summary>
    public bool IsSampled => Used.Sessions < Population.Sessions;

    /// <summary>Every split, time splits first.</summary>
    public IReadOnlyList<SplitRun> Runs { get; } = runs;

    /// <summary>Every model of the run in report order: the attention-LSTM, the peers, the built-in baselines.</summary>
    public IReadOnlyList<string> ModelNames { get; } = ExperimentRunner.ModelNamesFor(options);

    /// <summary>The heads trained on at least one split.</summary>
    public ModelHeads Heads => Runs.Aggregate(ModelHeads.None, (heads, r) => heads | r.Heads);

    /// <summary>The headline split (first time split); its model is the one shipped.</summary>
    public SplitRun Headline => Runs[0];

    /// <summary>Runs of one protocol.</summary>
    public IEnumerable<SplitRun> Of(SplitKind kind) => Runs.Where(r => r.Kind == kind);

    /// <summary>Mean and spread of a metric of a model over the repeats of a protocol.</summary>
    public Summary Summarize(SplitKind kind, string model, Func<ModelEvaluation, double> metric) =>
        Summary.OfDefined(Of(kind).Select(r => metric(r.Models[model])));
}
