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

    /// <summary>95% cluster-bootstrap interval (by session) of the attention-LSTM's test ROC-AUC.</summary>
    public required (double Low, double High) LstmAucInterval { get; init; }

    /// <summary>What was unusual about this split (e.g. a head evaluated or calibrated differently), in words.</summary>
    public required IReadOnlyList<string> Notes { get; init; }
}
