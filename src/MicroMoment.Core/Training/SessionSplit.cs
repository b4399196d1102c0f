using MicroMoment.Numerics;
using MicroMoment.Sessions;

namespace MicroMoment.Training;

/// <summary>A partition of sessions into training, validation and test sets.</summary>
/// <param name="Kind">How the split was made.</param>
/// <param name="Seed">The seed of a random split (0 for time splits).</param>
/// <param name="Train">Sessions used to fit scalers, clusters and weights.</param>
/// <param name="Validation">Sessions used for early stopping, calibration and the decision threshold.</param>
/// <param name="Test">Held-out sessions that only ever feed the reported metrics.</param>
public sealed record SessionSplit(SplitKind Kind, ulong Seed, IReadOnlyList<Session> Train, IReadOnlyList<Session> Validation, IReadOnlyList<Session> Test)
{
    /// <summary>Splits by session start time: the last <paramref name="testShare"/> of sessions test, the
    /// <paramref name="validationShare"/> before them validate, the rest train.</summary>
    public static SessionSplit ByTime(IReadOnlyList<Session> sessions, double testShare = 0.25, double validationShare = 0.15)
    {
        ValidateShares(testShare, validationShare);
        var ordered = sessions.OrderBy(s => s.Start).ThenBy(s => s.Id).ToArray();
        var testCount = (int)Math.Round(ordered.Length * testShare);
        var validationCount = (int)Math.Round(ordered.Length * validationShare);
        var trainCount = ordered.Length - testCount - validationCount;
        if (trainCount <= 0 || testCount <= 0 || validationCount <= 0)
            throw new ArgumentException($"{ordered.Length} sessions are too few to split into train/validation/test; at least a few dozen are expected.", nameof(sessions));
        return new SessionSplit(SplitKind.Time, 0, ordered[..trainCount], ordered[trainCount..(trainCount + validationCount)], ordered[(trainCount + validationCount)..]);
    }

    /// <summary>Stratified random split on "session contains a purchase": <paramref name="testShare"/> test,
    /// <paramref name="validationShare"/> of all sessions validate, the rest train.</summary>
    public static SessionSplit StratifiedRandom(IReadOnlyList<Session> sessions, ulong seed, double testShare = 0.20, double validationShare = 0.10)
    {
        ValidateShares(testShare, validationShare);
        var train = new List<Session>();
        var validation = new List<Session>();
        var test = new List<Session>();
        foreach (var stratum in sessions.GroupBy(s => s.HasPurchase).OrderBy(g => g.Key))
        {
            var items = stratum.OrderBy(s => s.Id).ToArray();
            var rng = new SplitMix64(seed, stream: stratum.Key ? 1UL : 0UL);
            rng.Shuffle(items.AsSpan());
            var testCount = (int)Math.Round(items.Length * testShare);
            var validationCount = (int)Math.Round(items.Length * validationShare);
            test.AddRange(items[..testCount]);
            validation.AddRange(items[testCount..(testCount + validationCount)]);
            train.AddRange(items[(testCount + validationCount)..]);
        }
        if (train.Count == 0 || validation.Count == 0 || test.Count == 0)
            throw new ArgumentException($"{sessions.Count} sessions are too few to split into train/validation/test.", nameof(sessions));
        static Session[] Ordered(List<Session> list) => [.. list.OrderBy(s => s.Start).ThenBy(s => s.Id)];
        return new SessionSplit(SplitKind.StratifiedRandom, seed, Ordered(train), Ordered(validation), Ordered(test));
    }

    private static void ValidateShares(double testShare, double validationShare)
    {
        if (testShare is <= 0 or >= 1 || validationShare is <= 0 or >= 1 || testShare + validationShare >= 1)
            throw new ArgumentOutOfRangeException(nameof(testShare), $"Shares must be in (0, 1) and sum below 1; got test {testShare}, validation {validationShare}.");
    }
}
