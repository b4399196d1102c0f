using MicroMoment.Evaluation;

namespace MicroMoment.Training;

/// <summary>All splits of a run, with summaries over repeats.</summary>
public sealed class ExperimentResult(ExperimentOptions options, IReadOnlyList<SplitRun> runs)
{
    /// <summary>The options the run used.</summary>
    public ExperimentOptions Options { get; } = options;

    /// <summary>Every split, time splits first.</summary>
    public IReadOnlyList<SplitRun> Runs { get; } = runs;

    /// <summary>The headline split (first time split); its model is the one shipped.</summary>
    public SplitRun Headline => Runs[0];

    /// <summary>Runs of one protocol.</summary>
    public IEnumerable<SplitRun> Of(SplitKind kind) => Runs.Where(r => r.Kind == kind);

    /// <summary>Mean and spread of a metric of a model over the repeats of a protocol.</summary>
    public Summary Summarize(SplitKind kind, string model, Func<ModelEvaluation, double> metric) =>
        Summary.OfDefined(Of(kind).Select(r => metric(r.Models[model])));
}
