using MicroMoment.Evaluation;
using MicroMoment.Scoring;
using MicroMoment.Sessions;

namespace MicroMoment.Training;

/// <summary>What <c>micromoment eval</c> measures: a saved model, scored event by event on a log.</summary>
/// <param name="Scored">Every session with its per-event scores.</param>
/// <param name="Buy">Buy-head metrics at the model's own threshold.</param>
/// <param name="BuyPrefixes">Number of buy prefixes and positives among them.</param>
/// <param name="IntentShares">Share of events read as buy / research / exit.</param>
public sealed record ModelEvaluationRun(ScoredSession[] Scored, ModelEvaluation Buy, (int Count, int Positives) BuyPrefixes, (double Buy, double Research, double Exit) IntentShares);

/// <summary>Scores a log with a saved model and measures it.</summary>
public static class ModelEvaluator
{
    /// <summary>Scores every session with the streaming scorer and measures the heads the model has (a missing head's
    /// metrics read NaN).</summary>
    public static ModelEvaluationRun Evaluate(MicroMomentModel model, IReadOnlyList<Session> sessions, CensoringPolicy censoring, int degreeOfParallelism = 2, IProgress<double>? progress = null)
    {
        var scored = OfflineScorer.Score(model, sessions, degreeOfParallelism, progress);
        var probabilities = new List<float>();
        var labels = new List<byte>();
        var lengths = new List<int>();
        var carts = new List<bool>();
        var exitScores = new List<float>();
        var exitLabels = new List<byte>();
        var traces = new List<SessionTrace>();
        long buy = 0, research = 0, exit = 0;
        foreach (var s in scored)
        {
            var trace = new float[s.Scores.Length];
            var any = false;
            for (var t = 0; t < s.Scores.Length; t++)
            {
                var score = s.Scores[t];
                _ = score.Intent switch { Intent.Buy => buy++, Intent.Exit => exit++, _ => research++ };
                var exitLabel = model.HasExitHead ? PrefixLabels.Exit(s.Session, t) : float.NaN;
                if (!float.IsNaN(exitLabel))
                {
                    exitScores.Add(score.ExitProbability);
                    exitLabels.Add(exitLabel > 0.5f ? (byte)1 : (byte)0);
                }
                var buyLabel = model.HasBuyHead ? PrefixLabels.Buy(s.Session, t, censoring) : float.NaN;
                if (float.IsNaN(buyLabel)) continue;
                any = true;
                trace[t] = score.BuyProbability;
                probabilities.Add(score.BuyProbability);
                labels.Add(buyLabel > 0.5f ? (byte)1 : (byte)0);
                lengths.Add(t + 1);
                carts.Add(s.HasCartSoFar[t]);
            }
            if (any) traces.Add(new SessionTrace(s.Session.Id, trace, [.. s.Session.Events.Select(e => e.Timestamp)], s.Session.FirstPurchaseIndex));
        }
        var p = probabilities.ToArray();
        var l = labels.ToArray();
        var e = exitScores.ToArray();
        var el = exitLabels.ToArray();
        var evaluation = (model.HasBuyHead
            ? PrefixMetrics.Measure(ExperimentRunner.Lstm, p, l, [.. lengths], [.. carts], traces, model.BuyThreshold)
            : ModelEvaluation.WithoutBuyHead(ExperimentRunner.Lstm)) with
        {
            ExitRocAuc = BinaryMetrics.RocAuc(e, el),
            ExitPrAuc = BinaryMetrics.AveragePrecision(e, el),
        };
        double total = Math.Max(1, buy + research + exit);
        return new ModelEvaluationRun(scored, evaluation, (p.Length, l.Count(x => x == 1)), (buy / total, research / total, exit / total));
    }
}
