using MicroMoment.Events;

namespace MicroMoment.Sessions;

/// <summary>
/// Splits an event log into sessions: events are grouped per (tenant, user), ordered by time (stable for equal
/// timestamps), and cut where <see cref="SessionBoundary.IsNewSession(DateTime, DateTime, TimeSpan)"/> says so.
/// Input need not be ordered. Events are held once as compact 56-byte structs in chunked storage (user strings once per
/// user, rarely set fields in a side table) and grouped with a counting sort over user indices, so tens of millions of
/// events need no per-event allocation beyond the session arrays (a month of REES46 data, 42 million rows, peaks at a
/// few GB; see docs/full-month.md). <see cref="SessionizeSample"/> and <see cref="Describe"/> avoid materializing
/// the sessions that are not needed.
/// The log's end is the latest timestamp seen; sessions ending less than one timeout before it are censored.
/// </summary>
public static class Sessionizer
{
    /// <summary>Sessionizes <paramref name="events"/>; the result is ordered by start time (ties by tenant, then user), with dense ids 0, 1, 2, ...</summary>
    /// <param name="events">Events of any order; each needs a tenant and a user id, and a UTC (or unspecified-kind) timestamp.</param>
    /// <param name="options">The session rule settings.</param>
    public static IReadOnlyList<Session> Sessionize(IEnumerable<ClickEvent> events, SessionizerOptions options) =>
        Run(events, options, keep: null).Sessions;

    /// <summary>
    /// Sessionizes <paramref name="events"/> but materializes at most <paramref name="maxSessions"/> sessions, chosen by
    /// <see cref="SessionSampler"/>; the others are counted in <see cref="SessionSample.Population"/> and never copied.
    /// The kept sessions are exactly those (same ids, same events) that <see cref="SessionSampler.Sample"/> would keep
    /// from <see cref="Sessionize"/>'s result, without holding every session's events twice.
    /// </summary>
    /// <param name="events">Events of any order, as for <see cref="Sessionize"/>.</param>
    /// <param name="options">The session rule settings.</param>
    /// <param name="maxSessions">The most sessions to keep; null keeps all.</param>
    public static SessionSample SessionizeSample(IEnumerable<ClickEvent> events, SessionizerOptions options, int? maxSessions)
    {
        SessionSampler.ValidateBound(maxSessions);
        var (sessions, population) = Run(events, options, maxSessions);
        return new SessionSample(sessions, population, maxSessions);
    }

    /// <summary>Sessionizes <paramref name="events"/> for statistics only: no session is materialized.</summary>
    /// <param name="events">Events of any order, as for <see cref="Sessionize"/>.</param>
    /// <param name="options">The session rule settings.</param>
    public static SessionStatistics Describe(IEnumerable<ClickEvent> events, SessionizerOptions options) =>
        Run(events, options, keep: 0).Population;

    /// <summary>The shared pass; <paramref name="keep"/> null materializes every session, n the n sampled ones (0 none).</summary>
    private static (Session[] Sessions, SessionStatistics Population) Run(IEnumerable<ClickEvent> events, SessionizerOptions options, int? keep)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        var store = new ChunkedBuffer<StoredEvent>();
        var extras = new ChunkedBuffer<EventExtras>();
        var tenantUsers = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        Dictionary<string, int>? currentTenantUsers = null;
        var tenants = new List<string>();
        var users = new List<string>();
        var counts = new List<int>();
        long logEnd = long.MinValue;
        string? lastTenant = null;
        string? lastUser = null;
        int lastIndex = -1;

        foreach (var e in events)
        {
            if (string.IsNullOrEmpty(e.Tenant))
            {
                throw new ArgumentException($"Event #{store.Count:N0} has no tenant; every event needs one (\"{ClickEvent.DefaultTenant}\" when there are no tenants).", nameof(events));
            }

            if (string.IsNullOrEmpty(e.UserId))
            {
                throw new ArgumentException($"Event #{store.Count:N0} (tenant '{e.Tenant}') has no user id; every event needs a user to be sessionized.", nameof(events));
            }

            if (e.Timestamp.Kind == DateTimeKind.Local)
            {
                throw new ArgumentException($"Event #{store.Count:N0} (user '{e.UserId}') has a local-time timestamp; timestamps must be UTC.", nameof(events));
            }

            int u;
            if (ReferenceEquals(e.UserId, lastUser) && ReferenceEquals(e.Tenant, lastTenant))
            {
                u = lastIndex;
            }
            else
            {
                if (!ReferenceEquals(e.Tenant, lastTenant) && !tenantUsers.TryGetValue(e.Tenant, out currentTenantUsers))
                {
                    currentTenantUsers = new Dictionary<string, int>(StringComparer.Ordinal);
                    tenantUsers.Add(e.Tenant, currentTenantUsers);
                }

                if (!currentTenantUsers!.TryGetValue(e.UserId, out u))
                {
                    u = users.Count;
                    currentTenantUsers.Add(e.UserId, u);
                    tenants.Add(e.Tenant);
                    users.Add(e.UserId);
                    counts.Add(0);
                }

                lastTenant = e.Tenant;
                lastUser = e.UserId;
                lastIndex = u;
            }

            int extra = -1;
            if (!e.Context.IsEmpty || e.RawType is not null || e.SourceSession is not null || e.EventId is not null)
            {
                extra = extras.Count;
                extras.Add(new EventExtras(e.Context, e.RawType, e.SourceSession, e.EventId));
            }

            store.Add(new StoredEvent(e, u, extra));
            counts[u]++;
            logEnd = Math.Max(logEnd, e.Timestamp.Ticks);
        }

        int n = store.Count;
        if (n == 0)
        {
            return ([], SessionStatistics.Empty);
        }

        tenantUsers.Clear();
        currentTenantUsers = null;

        // Counting sort by user: each user's events end up contiguous, in input order.
        int userCount = users.Count;
        var bucketStart = new int[userCount + 1];
        for (int u = 0; u < userCount; u++)
        {
            bucketStart[u + 1] = bucketStart[u] + counts[u];
        }

        var next = new int[userCount];
        Array.Copy(bucketStart, next, userCount);
        var order = new int[n];
        for (int i = 0; i < n; i++)
        {
            order[next[store[i].User]++] = i;
        }

        next = [];
        long timeoutTicks = options.InactivityTimeout.Ticks;
        var logEndTime = new DateTime(logEnd, DateTimeKind.Utc);
        var statistics = new SessionStatistics.Builder();
        var spans = new List<SessionSpan>();
        var scratch = Array.Empty<(long Ticks, int Index)>();
        for (int u = 0; u < userCount; u++)
        {
            var bucket = order.AsSpan(bucketStart[u], counts[u]);
            SortByTime(bucket, store, ref scratch);
            int sessionStart = 0;
            ref readonly var first = ref store[bucket[0]];
            long previous = first.Timestamp.Ticks;
            bool purchase = first.Type == EventType.Purchase;
            for (int k = 1; k < bucket.Length; k++)
            {
                ref readonly var e = ref store[bucket[k]];
                long current = e.Timestamp.Ticks;
                if (SessionBoundary.IsNewSession(previous, current, timeoutTicks))
                {
                    AddSpan(spans, statistics, store, bucket, bucketStart[u], u, sessionStart, k, purchase, previous, logEndTime, options.InactivityTimeout);
                    sessionStart = k;
                    purchase = false;
                }

                purchase |= e.Type == EventType.Purchase;
                previous = current;
            }

            AddSpan(spans, statistics, store, bucket, bucketStart[u], u, sessionStart, bucket.Length, purchase, previous, logEndTime, options.InactivityTimeout);
        }

        var population = statistics.Build(userCount);
        var ordered = OrderByStart(spans, tenants, users);
        spans.Clear();
        spans.TrimExcess();

        int[]? kept = null;
        if (keep is int limit && limit < ordered.Length)
        {
            var keys = new ulong[ordered.Length];
            for (int s = 0; s < keys.Length; s++)
            {
                keys[s] = SessionSampler.Key(tenants[ordered[s].User], users[ordered[s].User], ordered[s].StartTicks);
            }

            kept = SessionSampler.SmallestKeys(keys, limit);
        }

        var sessions = new Session[kept?.Length ?? ordered.Length];
        for (int i = 0; i < sessions.Length; i++)
        {
            int s = kept is null ? i : kept[i];
            var span = ordered[s];
            var sessionEvents = new ClickEvent[span.Length];
            for (int k = 0; k < sessionEvents.Length; k++)
            {
                sessionEvents[k] = store[order[span.Offset + k]].ToClickEvent(tenants[span.User], users[span.User], extras);
            }

            bool censored = SessionBoundary.IsCensored(sessionEvents[^1].Timestamp, logEndTime, options.InactivityTimeout);
            sessions[i] = new Session(s, tenants[span.User], users[span.User], sessionEvents, censored);
        }

        return (sessions, population);
    }

    private static void AddSpan(List<SessionSpan> spans, SessionStatistics.Builder statistics, ChunkedBuffer<StoredEvent> store, Span<int> bucket,
        int bucketOffset, int user, int from, int to, bool purchase, long lastTicks, DateTime logEnd, TimeSpan timeout)
    {
        long startTicks = store[bucket[from]].Timestamp.Ticks;
        spans.Add(new SessionSpan(startTicks, user, bucketOffset + from, to - from));
        bool censored = SessionBoundary.IsCensored(new DateTime(lastTicks, DateTimeKind.Utc), logEnd, timeout);
        statistics.Add(to - from, purchase, censored, startTicks, lastTicks);
    }

    /// <summary>Sorts sessions by start time, then tenant, then user (ordinal): primitive-key sort, then ties by name.</summary>
    private static SessionSpan[] OrderByStart(List<SessionSpan> spans, List<string> tenants, List<string> users)
    {
        var keys = new long[spans.Count];
        var items = new SessionSpan[spans.Count];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = spans[i];
            keys[i] = spans[i].StartTicks;
        }

        Array.Sort(keys, items);
        Comparison<SessionSpan> byName = (a, b) =>
        {
            int c = string.CompareOrdinal(tenants[a.User], tenants[b.User]);
            return c != 0 ? c : string.CompareOrdinal(users[a.User], users[b.User]);
        };
        for (int i = 0; i < keys.Length;)
        {
            int j = i + 1;
            while (j < keys.Length && keys[j] == keys[i])
            {
                j++;
            }

            if (j - i > 1)
            {
                items.AsSpan(i, j - i).Sort(byName);
            }

            i = j;
        }

        return items;
    }

    /// <summary>Orders a user's event indices by timestamp, keeping input order for equal timestamps.</summary>
    private static void SortByTime(Span<int> bucket, ChunkedBuffer<StoredEvent> store, ref (long Ticks, int Index)[] scratch)
    {
        long previous = long.MinValue;
        bool sorted = true;
        foreach (int i in bucket)
        {
            long t = store[i].Timestamp.Ticks;
            if (t < previous)
            {
                sorted = false;
                break;
            }

            previous = t;
        }

        if (sorted)
        {
            return;
        }

        if (scratch.Length < bucket.Length)
        {
            scratch = new (long, int)[Math.Max(bucket.Length, scratch.Length * 2)];
        }

        var keys = scratch.AsSpan(0, bucket.Length);
        for (int k = 0; k < bucket.Length; k++)
        {
            keys[k] = (store[bucket[k]].Timestamp.Ticks, bucket[k]);
        }

        // (ticks, input index) pairs are unique, so this order is the stable time order.
        keys.Sort();
        for (int k = 0; k < bucket.Length; k++)
        {
            bucket[k] = keys[k].Index;
        }
    }

    /// <summary>A session before materialization: start time, user index, and its slice of the grouped order.</summary>
    private readonly record struct SessionSpan(long StartTicks, int User, int Offset, int Length);

    /// <summary>
    /// An event as held between reading and materializing: tenant and user become the user index (their strings live
    /// once in the user table) and the fields most logs leave empty (context, raw type, source session, event id) move
    /// to a side table, so an event takes 56 bytes here instead of a <see cref="ClickEvent"/>'s 120 (plus 4 for its
    /// user index), which is what bounds memory on a month of data.
    /// </summary>
    private readonly struct StoredEvent(in ClickEvent e, int user, int extra)
    {
        public readonly DateTime Timestamp = e.Timestamp;
        public readonly long ProductId = e.ProductId;
        public readonly long CategoryId = e.CategoryId;
        public readonly string? CategoryCode = e.CategoryCode;
        public readonly string? Brand = e.Brand;
        public readonly float Price = e.Price;
        public readonly int User = user;
        public readonly int Extra = extra;
        public readonly EventType Type = e.Type;

        /// <summary>The original event back (equal to what was read; tenant and user strings are the user table's instances).</summary>
        public ClickEvent ToClickEvent(string tenant, string userId, ChunkedBuffer<EventExtras> extras)
        {
            if (Extra < 0)
            {
                return new ClickEvent(tenant, userId, Timestamp, Type, ProductId, CategoryId, CategoryCode, Brand, Price);
            }

            ref readonly var x = ref extras[Extra];
            return new ClickEvent(tenant, userId, Timestamp, Type, ProductId, CategoryId, CategoryCode, Brand, Price, x.Context, x.RawType, x.SourceSession, x.EventId);
        }
    }

    /// <summary>The rarely set fields of an event, stored only for events that have one.</summary>
    private readonly record struct EventExtras(EventContext Context, string? RawType, string? SourceSession, string? EventId);
}
