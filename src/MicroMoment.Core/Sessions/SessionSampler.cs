namespace MicroMoment.Sessions;

/// <summary>
/// Deterministic sampling of whole sessions: every session gets a 64-bit key hashed from its tenant, user and start
/// time, and a bound of n keeps the n sessions with the smallest keys (bottom-n sampling). The key does not depend
/// on the process, the machine, the seed or the other sessions, so the same session is kept in every run, and a
/// sample under a smaller bound is a subset of the sample under a larger one. Kept sessions stay in their original
/// order (by start), so a time split of the sample still trains on earlier sessions and tests on later ones.
/// </summary>
public static class SessionSampler
{
    /// <summary>How keys are made, for reports.</summary>
    public const string Method = "the smallest 64-bit FNV-1a hashes of (tenant, user, session start)";

    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>The sampling key of a session, from its tenant, user and start time.</summary>
    public static ulong Key(string tenant, string userId, DateTime start) => Key(tenant, userId, start.Ticks);

    /// <summary>The sampling key of a session, from its tenant, user and start time in ticks.</summary>
    public static ulong Key(string tenant, string userId, long startTicks)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(userId);
        ulong h = FnvOffset;
        h = Mix(h, tenant);
        h = (h ^ 0xFFFF) * FnvPrime; // separator no text char produces, so ("ab","c") and ("a","bc") differ
        h = Mix(h, userId);
        h = (h ^ 0xFFFF) * FnvPrime;
        ulong ticks = (ulong)startTicks;
        for (int i = 0; i < 8; i++)
        {
            h = (h ^ ((ticks >> (8 * i)) & 0xFF)) * FnvPrime;
        }

        // Final avalanche so that nearby inputs spread over the whole key range.
        h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL;
        h = (h ^ (h >> 27)) * 0x94D049BB133111EBUL;
        return h ^ (h >> 31);
    }

    /// <summary>
    /// Keeps at most <paramref name="maxSessions"/> sessions (all when null or not exceeded); the population statistics
    /// are those of <paramref name="sessions"/>. Kept sessions keep their ids and their order.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSessions"/> is less than 1.</exception>
    public static SessionSample Sample(IReadOnlyList<Session> sessions, int? maxSessions)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        return SampleCore(sessions, maxSessions, SessionStatistics.Of(sessions));
    }

    /// <summary>
    /// Narrows an existing sample to at most <paramref name="maxSessions"/> sessions, keeping its population statistics.
    /// Because keys are fixed per session, this equals sampling the whole log with the smaller bound.
    /// </summary>
    public static SessionSample Narrow(SessionSample sample, int? maxSessions)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ValidateBound(maxSessions);
        if (maxSessions is null || sample.Sessions.Count <= maxSessions)
        {
            return sample with { MaxSessions = Tighter(sample.MaxSessions, maxSessions) };
        }

        return SampleCore(sample.Sessions, maxSessions, sample.Population);
    }

    /// <summary>Indices (ascending) of the <paramref name="count"/> smallest keys; ties go to the lower index.</summary>
    internal static int[] SmallestKeys(ReadOnlySpan<ulong> keys, int count)
    {
        if (count >= keys.Length)
        {
            var all = new int[keys.Length];
            for (int i = 0; i < all.Length; i++)
            {
                all[i] = i;
            }

            return all;
        }

        if (count <= 0)
        {
            return [];
        }

        var sorted = keys.ToArray();
        Array.Sort(sorted);
        ulong threshold = sorted[count - 1];
        int below = sorted.AsSpan(0, count).IndexOf(threshold); // keys under the threshold, all kept
        int tiesLeft = count - below;
        var kept = new int[count];
        int n = 0;
        for (int i = 0; i < keys.Length && n < count; i++)
        {
            if (keys[i] < threshold)
            {
                kept[n++] = i;
            }
            else if (keys[i] == threshold && tiesLeft > 0)
            {
                kept[n++] = i;
                tiesLeft--;
            }
        }

        return kept;
    }

    /// <summary>Throws unless <paramref name="maxSessions"/> is null or positive.</summary>
    internal static void ValidateBound(int? maxSessions)
    {
        if (maxSessions is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxSessions), maxSessions,
                "The session bound must be at least 1 (or null for no bound).");
        }
    }

    private static SessionSample SampleCore(IReadOnlyList<Session> sessions, int? maxSessions, SessionStatistics population)
    {
        ValidateBound(maxSessions);
        if (maxSessions is not int max || sessions.Count <= max)
        {
            return new SessionSample(sessions, population, maxSessions);
        }

        var keys = new ulong[sessions.Count];
        for (int i = 0; i < keys.Length; i++)
        {
            var s = sessions[i];
            keys[i] = Key(s.Tenant, s.UserId, s.Start.Ticks);
        }

        var kept = SmallestKeys(keys, max);
        var result = new Session[kept.Length];
        for (int i = 0; i < kept.Length; i++)
        {
            result[i] = sessions[kept[i]];
        }

        return new SessionSample(result, population, maxSessions);
    }

    private static ulong Mix(ulong h, string text)
    {
        foreach (char c in text)
        {
            h = (h ^ (byte)c) * FnvPrime;
            h = (h ^ (byte)(c >> 8)) * FnvPrime;
        }

        return h;
    }

    private static int? Tighter(int? a, int? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);
}
