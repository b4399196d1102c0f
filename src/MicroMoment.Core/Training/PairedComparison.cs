using MicroMoment.Evaluation;
using MicroMoment.Scoring;

namespace MicroMoment.Training;

/// <summary>
/// The attention-LSTM against one peer on the same test prefixes of one head: both ROC-AUCs and the 95%
/// session-bootstrap interval of their difference (LSTM − peer; both computed on each resample of sessions).
/// </summary>
/// <param name="Head">The head compared.</param>
/// <param name="Peer">The peer's model name.</param>
/// <param name="LstmRocAuc">The attention-LSTM's test ROC-AUC.</param>
/// <param name="PeerRocAuc">The peer's test ROC-AUC.</param>
/// <param name="Difference">LSTM − peer, with its bootstrap interval.</param>
public sealed record PairedComparison(ModelHeads Head, string Peer, double LstmRocAuc, double PeerRocAuc, ConfidenceInterval Difference)
{
    /// <summary>What the interval says, plainly: "beats" (interval above 0), "behind" (below 0), "level with"
    /// (it holds 0), or "undefined" (no resample had both classes).</summary>
    public string Verdict =>
        double.IsNaN(Difference.Lower) || double.IsNaN(Difference.Upper) ? "undefined"
        : Difference.Lower > 0 ? "beats"
        : Difference.Upper < 0 ? "behind"
        : "level with";
}
