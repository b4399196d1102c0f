using MicroMoment.Events;

namespace MicroMoment.Sessions;

/// <summary>One user's session: consecutive events with no gap longer than the inactivity timeout, in time order.</summary>
public sealed class Session
{
    internal Session(long id, string tenant, string userId, ClickEvent[] events, bool censored)
    {
        Id = id;
        Tenant = tenant;
        UserId = userId;
        Events = events;
        Censored = censored;
        FirstPurchaseIndex = Array.FindIndex(events, static e => e.Type == EventType.Purchase);
    }

    /// <summary>Dense id, assigned in order of session start (ties by tenant, then user, ordinal).</summary>
    public long Id { get; }

    /// <summary>The tenant.</summary>
    public string Tenant { get; }

    /// <summary>The user.</summary>
    public string UserId { get; }

    /// <summary>The events in time order (stable for equal timestamps). Not to be modified.</summary>
    public ClickEvent[] Events { get; }

    /// <summary>Time of the first event.</summary>
    public DateTime Start => Events[0].Timestamp;

    /// <summary>Time of the last event.</summary>
    public DateTime End => Events[^1].Timestamp;

    /// <summary>Time from the first to the last event.</summary>
    public TimeSpan Duration => End - Start;

    /// <summary>
    /// True when the log ends less than one inactivity timeout after this session's last event, so the session may
    /// have continued (and its outcome is unknown).
    /// </summary>
    public bool Censored { get; }

    /// <summary>Index in <see cref="Events"/> of the first purchase, or -1 when there is none.</summary>
    public int FirstPurchaseIndex { get; }

    /// <summary>True when the session contains a purchase.</summary>
    public bool HasPurchase => FirstPurchaseIndex >= 0;

    /// <inheritdoc />
    public override string ToString() =>
        $"Session {Id} {Tenant}/{UserId}: {Events.Length} events {Start:yyyy-MM-dd HH:mm:ss}..{End:HH:mm:ss}" +
        (HasPurchase ? $", first purchase at {FirstPurchaseIndex}" : string.Empty) + (Censored ? ", censored" : string.Empty);
}
