using MicroMoment.Clustering;
using MicroMoment.Model;
using MicroMoment.Scoring;

namespace MicroMoment.Training;

/// <summary>Everything one split produced: counts, per-model results and the fitted model.</summary>
public sealed class SplitRun
{
    /// <summary>How the sessions were split.</summary>
    public required SplitKind Kind { get; init; }

    /// <summary>The seed of this repeat.</summary>
    public required ulong Seed { get; init; }

    /// <summary>Sessions in train / validation / test.</summary>
    public required (int Train, int Validation, int Test) Sessions { get; init; }

    /// <summary>Buy prefixes (examples) in train / validation / test, and positives among them.</summary>
    public required (int Train, int Validation, int Test, int TestPositives) BuyPrefixes { get; init; }

    /// <summary>Exit prefixes (events whose next step is known) in train / validation / test, and exits among the test ones.</summary>
    public (int Train, int Validation, int Test, int TestPositives) ExitPrefixes { get; init; }

    /// <summary>The heads this split could train (a head whose training prefixes lack a class is skipped by every model).</summary>
    public ModelHeads Heads { get; init; } = ModelHeads.Both;

    /// <summary>The attention-LSTM against each other model on the same test prefixes, per trained head whose test
    /// prefixes hold both classes.</summary>
    public IReadOnlyList<PairedComparison> PairedComparisons { get; init; } = [];

    /// <summary>What each peer fitted, per head, in words.</summary>
    public IReadOnlyList<string> PeerDescriptions { get; init; } = [];

    /// <summary>Results per model name.</summary>
    public required IReadOnlyDictionary<string, ModelEvaluation> Models { get; init; }

    /// <summary>The fitted MicroMoment model of this split.</summary>
    public required MicroMomentModel Model { get; init; }

    /// <summary>Training history of the attention-LSTM.</summary>
    public required TrainingResult Training { get; init; }

    /// <summary>The cluster fit on this split's training sessions.</summary>
    public required ClusteringReport Clustering { get; init; }

    /// <summary>Share of test events read as buy / research / exit intent.</summary>
    public required (double Buy, double Research, double Exit) IntentShares { get; init; }

    /// <summary>Attention weights of a few test sessions (event types and weights), for the heatmap.</summary>
    public required IReadOnlyList<AttentionExample> AttentionExamples { get; init; }

    /// <summary>95% cluster-bootstrap interval (by session) of the attention-LSTM's buy-head test ROC-AUC (NaN when undefined).</summary>
    public required (double Low, double High) LstmAucInterval { get; init; }

    /// <summary>What was unusual about this split (e.g. a head evaluated or calibrated differently), in words.</summary>
    public required IReadOnlyList<string> Notes { get; init; }
}
