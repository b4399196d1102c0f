using System.Collections.Concurrent;
using MicroMoment.Silo.Grains;
using MicroMoment.Silo.Storage;

namespace MicroMoment.Silo.Runtime;

/// <summary>
/// A partition: the unit of ordering and ownership. Its queue is filled by callers and drained in order by the one
/// worker that owns it; its grains, activation list and dirty list are touched only by that worker. The
/// write-behind hand-off (pending and in-flight states) is shared with the writer under <see cref="WriteLock"/>.
/// </summary>
internal sealed class Partition(int index, long epoch, HashSet<ulong> storedHashes, int activationCap)
{
    private int _depth;
    private int _live;

    /// <summary>The partition number.</summary>
    public int Index { get; } = index;

    /// <summary>The ownership epoch this silo holds (carried by every write).</summary>
    public long Epoch { get; } = epoch;

    /// <summary>Most grains this partition keeps in memory.</summary>
    public int ActivationCap { get; } = activationCap;

    /// <summary>Set when a write was refused because another owner holds a newer epoch; the partition stops taking events.</summary>
    public volatile bool Fenced;

    /// <summary>The message queue.</summary>
    public ConcurrentQueue<WorkItem> Queue { get; } = new();

    /// <summary>Events waiting in the queue (reserved by callers, released by the worker on dequeue).</summary>
    public int Depth => Volatile.Read(ref _depth);

    /// <summary>Grains in memory (readable from any thread).</summary>
    public int LiveActivations => Volatile.Read(ref _live);

    /// <summary>Active grains by key (worker only).</summary>
    public Dictionary<GrainKey, UserGrain> Grains { get; } = [];

    /// <summary>Active grains that hold offers, by key hash, for routing feedback (worker only).</summary>
    public Dictionary<ulong, UserGrain> OfferOwners { get; } = [];

    /// <summary>
    /// Keys of grains holding a proposal that waits for "shown", by the silo-clock time it was proposed (worker only; a key
    /// once per proposal, possibly of a grain since deactivated): maintenance expires them by the clock, untouched. Keys,
    /// not grains, so a deactivated grain is not kept in memory until its proposal's time is up.
    /// </summary>
    public PriorityQueue<GrainKey, long> Proposals { get; } = new();

    /// <summary>Grains whose state changed since their last snapshot (worker only; may hold stale entries).</summary>
    public List<UserGrain> DirtyGrains { get; } = [];

    /// <summary>Key hashes that may have a stored row (worker only); activation skips the lookup for others.</summary>
    public HashSet<ulong> StoredHashes { get; } = storedHashes;

    /// <summary>Silo-clock ticks of the last flush of dirty grains (worker only).</summary>
    public long LastFlushTicks { get; set; }

    /// <summary>The most recently used grain.</summary>
    public UserGrain? Newest { get; private set; }

    /// <summary>The least recently used grain.</summary>
    public UserGrain? Oldest { get; private set; }

    /// <summary>Guards <see cref="Pending"/> and <see cref="InFlight"/>.</summary>
    public object WriteLock { get; } = new();

    /// <summary>Latest snapshots not yet taken by the writer (under <see cref="WriteLock"/>).</summary>
    public Dictionary<GrainKey, PendingWrite> Pending { get; set; } = [];

    /// <summary>Snapshots the writer is committing now (under <see cref="WriteLock"/>).</summary>
    public Dictionary<GrainKey, PendingWrite>? InFlight { get; set; }

    /// <summary>Reserves up to <paramref name="wanted"/> queue slots; returns how many were granted.</summary>
    public int Reserve(int wanted, int capacity)
    {
        while (true)
        {
            int depth = Volatile.Read(ref _depth);
            int granted = Math.Min(wanted, capacity - depth);
            if (granted <= 0) return 0;
            if (Interlocked.CompareExchange(ref _depth, depth + granted, depth) == depth) return granted;
        }
    }

    /// <summary>Releases queue slots after dequeuing events.</summary>
    public void Release(int count) => Interlocked.Add(ref _depth, -count);

    /// <summary>Adds a new grain as the most recently used.</summary>
    public void Add(UserGrain grain, long nowTicks)
    {
        Grains.Add(grain.Key, grain);
        grain.LastTouchedTicks = nowTicks;
        grain.Older = Newest;
        grain.Newer = null;
        if (Newest is not null) Newest.Newer = grain;
        Newest = grain;
        Oldest ??= grain;
        Volatile.Write(ref _live, Grains.Count);
    }

    /// <summary>Marks a grain as just used.</summary>
    public void Touch(UserGrain grain, long nowTicks)
    {
        grain.LastTouchedTicks = nowTicks;
        if (Newest == grain) return;
        Unlink(grain);
        grain.Older = Newest;
        grain.Newer = null;
        if (Newest is not null) Newest.Newer = grain;
        Newest = grain;
        Oldest ??= grain;
    }

    /// <summary>Removes a grain from memory (the caller flushed it first, or erases it).</summary>
    public void Remove(UserGrain grain)
    {
        if (!Grains.Remove(grain.Key)) return;
        Unlink(grain);
        grain.Newer = grain.Older = null;
        if (OfferOwners.TryGetValue(grain.KeyHash, out var owner) && owner == grain) OfferOwners.Remove(grain.KeyHash);
        Volatile.Write(ref _live, Grains.Count);
    }

    private void Unlink(UserGrain grain)
    {
        if (grain.Newer is not null) grain.Newer.Older = grain.Older;
        else if (Newest == grain) Newest = grain.Older;
        if (grain.Older is not null) grain.Older.Newer = grain.Newer;
        else if (Oldest == grain) Oldest = grain.Newer;
    }
}
