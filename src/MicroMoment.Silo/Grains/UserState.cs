using MicroMoment.Features;
using MicroMoment.Scoring;

namespace MicroMoment.Silo.Grains;

/// <summary>
/// What a <see cref="UserGrain"/> stores: consent and time zone, the live session (feature state, the network's
/// recurrent and attention state, the latest score, a bounded timeline), the ring of recently applied event ids and
/// the grain's counters. Orleans' serializer writes it (fields by id: new fields take new ids, so a state written by
/// this version is read by the next).
/// </summary>
[GenerateSerializer]
[Alias("mm.UserState")]
internal sealed class UserState
{
    /// <summary>The shopper's consent.</summary>
    [Id(0)]
    public Consent Consent = Consent.Default;

    /// <summary>The IANA id of the shopper's time zone, or null.</summary>
    [Id(1)]
    public string? TimeZoneId;

    /// <summary>The version of the model the session state belongs to (a session of another model is dropped).</summary>
    [Id(2)]
    public string? ModelVersion;

    /// <summary>The session's running feature state.</summary>
    [Id(3)]
    public SessionFeatureState Features;

    /// <summary>The network's state (h, c, a, m, s), or null before the first event.</summary>
    [Id(4)]
    public float[]? Network;

    /// <summary>Event time (UTC ticks) of the previous event.</summary>
    [Id(5)]
    public long LastEventTicks;

    /// <summary>Events in the current session.</summary>
    [Id(6)]
    public int SessionLength;

    /// <summary>Event time (UTC ticks) the current session started.</summary>
    [Id(7)]
    public long SessionStartTicks;

    /// <summary>The latest score (valid when <see cref="HasLatest"/>).</summary>
    [Id(8)]
    public EventScore Latest;

    /// <summary>True once an event was scored.</summary>
    [Id(9)]
    public bool HasLatest;

    /// <summary>The session's events, a ring of up to the timeline capacity (grows by doubling).</summary>
    [Id(10)]
    public TimelineEntry[]? Timeline;

    /// <summary>The ring's oldest slot.</summary>
    [Id(11)]
    public int TimelineStart;

    /// <summary>Events in the ring.</summary>
    [Id(12)]
    public int TimelineCount;

    /// <summary>Stable hashes of recently applied event ids, a ring of up to the de-duplication capacity.</summary>
    [Id(13)]
    public ulong[]? RecentIds;

    /// <summary>The ring's next slot.</summary>
    [Id(14)]
    public int RecentNext;

    /// <summary>Ids in the ring.</summary>
    [Id(15)]
    public int RecentCount;

    /// <summary>Events applied over the grain's life.</summary>
    [Id(16)]
    public long EventsApplied;

    /// <summary>Duplicates dropped over the grain's life.</summary>
    [Id(17)]
    public long DuplicatesDropped;

    /// <summary>True once the shopper's trigger grain holds state (it then sees every purchase).</summary>
    [Id(18)]
    public bool TriggerActive;

    /// <summary>Events decided without the trigger grain since its last call (no rule at its threshold).</summary>
    [Id(19)]
    public int TriggerSkipped;

    /// <summary>Silo-clock time (UTC ticks) the latest event was applied (0: none).</summary>
    [Id(20)]
    public long LastEventAppliedTicks;

    /// <summary>True when the state holds nothing worth keeping (default consent, no events, no ids).</summary>
    public bool IsEmpty => Network is null && !TriggerActive && RecentCount == 0 && EventsApplied == 0 && DuplicatesDropped == 0 && Consent == Consent.Default;
}
