using MicroMoment.Sessions;

namespace MicroMoment.Scoring;

/// <summary>
/// Scores logged sessions event by event with <see cref="SessionScorer"/>, the same streaming path a live
/// user grain runs, so offline numbers are the numbers production would have produced.
/// </summary>
public static class OfflineScorer
{
    /// <summary>Scores every session; the result keeps the order of <paramref name="sessions"/>.</summary>
    public static ScoredSession[] Score(MicroMomentModel model, IReadOnlyList<Session> sessions, int degreeOfParallelism = 2, IProgress<double>? progress = null)
    {
        var result = new ScoredSession[sessions.Count];
        var done = 0;
        Parallel.For(0, sessions.Count, new ParallelOptions { MaxDegreeOfParallelism = degreeOfParallelism },
            () => model.CreateScorer(),
            (i, _, scorer) =>
            {
                var session = sessions[i];
                scorer.Reset();
                var scores = new EventScore[session.Events.Length];
                var carts = new bool[session.Events.Length];
                for (var t = 0; t < scores.Length; t++)
                {
                    scores[t] = scorer.Score(session.Events[t]);
                    carts[t] = scorer.Features.HasCart;
                    if (scores[t].Position != t)
                        throw new InvalidOperationException($"Session {session.Id}: the scorer put event {t} at position {scores[t].Position}; the sessionizer and the scorer disagree on session boundaries.");
                }
                result[i] = new ScoredSession(session, scores, carts);
                var n = Interlocked.Increment(ref done);
                if (progress is not null && n % 256 == 0) progress.Report(n / (double)sessions.Count);
                return scorer;
            },
            _ => { });
        progress?.Report(1);
        return result;
    }
}
