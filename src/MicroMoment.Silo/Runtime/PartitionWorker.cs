using System.Diagnostics;
using MicroMoment.Events;
using MicroMoment.Model;
using MicroMoment.Silo.Grains;
using MicroMoment.Silo.Storage;

namespace MicroMoment.Silo.Runtime;

/// <summary>
/// A worker thread that drains the partitions it owns (partition p belongs to worker p mod W), one batch at a
/// time and in order. A batch of events is applied in waves: wave k holds the k-th event of every distinct user in
/// the batch, so each wave steps each of its users once, all with one <see cref="AttentionLstm.StepBatch"/> call,
/// and a user's events still apply in submission order. Control messages end the batch in front of them and run
/// alone. Also deactivates idle grains, enforces the activation cap and hands dirty states to the write-behind.
/// After warm-up the event path allocates only the outcome objects the API returns (and what an offer needs).
/// </summary>
internal sealed class PartitionWorker : IDisposable
{
    private readonly SiloRuntime _silo;
    private readonly GrainContext _context;
    private readonly Partition[] _partitions;
    private readonly Thread _thread;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly LatencyHistogram _latency = new();
    private readonly StateWriter _stateWriter = new();
    private readonly GrainStoreReader? _reader;
    private readonly BatchWorkspace _workspace;
    private readonly int _batchSize;

    private readonly WorkItem[] _batch;
    private readonly UserGrain?[] _grains;
    private readonly int[] _waves;
    private readonly int[] _order;
    private readonly int[] _waveStarts;
    private readonly ulong[] _idHashes;
    private readonly float[] _inputs;
    private readonly float[] _states;
    private readonly float[] _buy;
    private readonly float[] _exit;
    private readonly float[] _attention;
    private readonly PreparedEvent[] _prepared;
    private readonly int[] _rowItem;

    private int _wakeRequested;
    private int _batchStamp;
    private volatile bool _stopping;

    /// <summary>Creates the worker for <paramref name="partitions"/> and starts its thread.</summary>
    public PartitionWorker(SiloRuntime silo, int index, Partition[] partitions)
    {
        _silo = silo;
        _context = silo.Context;
        _partitions = partitions;
        _batchSize = silo.Options.BatchSize;
        _reader = silo.Store?.CreateReader();
        int d = _context.InputDimension, s = _context.StateSize, b = _batchSize;
        _workspace = new BatchWorkspace(_context.Model.Network.Shape, b) { DegreeOfParallelism = 1 };
        _batch = new WorkItem[b];
        _grains = new UserGrain?[b];
        _waves = new int[b];
        _order = new int[b];
        _waveStarts = new int[b + 2];
        _idHashes = new ulong[b];
        _inputs = new float[b * d];
        _states = new float[b * s];
        _buy = new float[b];
        _exit = new float[b];
        _attention = new float[b];
        _prepared = new PreparedEvent[b];
        _rowItem = new int[b];
        Index = index;
        _thread = new Thread(Loop) { IsBackground = true, Name = $"MicroMoment silo worker {index}" };
        _thread.Start();
    }

    /// <summary>The worker number.</summary>
    public int Index { get; }

    /// <summary>The worker's latency histogram (one writer: this worker).</summary>
    public LatencyHistogram Latency => _latency;

    /// <summary>Time a user grain takes to apply one scored event after the network step (scores, trigger decision, offer, answering the previous caller), per event.</summary>
    public TurnHistogram GrainTurns { get; } = new();

    /// <summary>Time of one batched network step (one wave of distinct users).</summary>
    public TurnHistogram NetworkSteps { get; } = new();

    /// <summary>Wakes the worker if it sleeps.</summary>
    public void Wake()
    {
        if (Interlocked.Exchange(ref _wakeRequested, 1) == 0) _signal.Release();
    }

    /// <summary>Stops the thread after the queued messages ran, then releases the worker's resources.</summary>
    public void Dispose()
    {
        _stopping = true;
        _signal.Release();
        _thread.Join();
        _workspace.Dispose();
        _reader?.Dispose();
        _signal.Dispose();
    }

    // ------------------------------------------------------------------ loop

    private void Loop()
    {
        int pollMilliseconds = (int)Math.Clamp(_silo.Options.FlushInterval.TotalMilliseconds / 2, 10, 250);
        while (true)
        {
            Volatile.Write(ref _wakeRequested, 0);
            bool any = false;
            foreach (var partition in _partitions) any |= RunOnce(partition);
            MaintainIfDue();
            if (any) continue;
            if (_stopping && _partitions.All(p => p.Queue.IsEmpty))
            {
                foreach (var partition in _partitions) FlushDirty(partition);
                return;
            }

            _signal.Wait(pollMilliseconds);
        }
    }

    /// <summary>Takes one batch (or one control message) from the partition; false when the queue was empty.</summary>
    private bool RunOnce(Partition partition)
    {
        int count = 0;
        ControlMessage? control = null;
        while (count < _batchSize && partition.Queue.TryDequeue(out var item))
        {
            if (item.Control is { } message)
            {
                control = message;
                break;
            }

            _batch[count++] = item;
        }

        if (count == 0 && control is null) return false;
        if (count > 0)
        {
            partition.Release(count);
            try
            {
                ProcessEvents(partition, count);
            }
            catch (Exception ex)
            {
                // A bug, not bad input (input is validated at the boundary): answer what is left and keep running.
                _silo.Log?.Invoke($"Partition {partition.Index}: a batch of {count} events failed: {ex}");
                for (int i = 0; i < count; i++)
                {
                    var request = _batch[i].Request!;
                    if (request.Outcomes[_batch[i].Index] is null) Drop(request, _batch[i].Index, DropReason.InternalError);
                }
            }

            Array.Clear(_batch, 0, count);
            Array.Clear(_grains, 0, count);
        }

        if (control is not null)
        {
            _batchStamp++; // a control message protects no grain from eviction
            try
            {
                control.Run(this, partition);
            }
            catch (Exception ex)
            {
                control.Fail(ex);
            }
        }

        return true;
    }

    // ------------------------------------------------------------------ events

    private void ProcessEvents(Partition partition, int count)
    {
        int stamp = ++_batchStamp;
        long now = _silo.NowTicks;
        int maxWave = -1;
        for (int i = 0; i < count; i++)
        {
            ref readonly WorkItem item = ref _batch[i];
            ref readonly ClickEvent e = ref item.Request!.Events[item.Index];
            UserGrain? grain;
            try
            {
                grain = Activate(partition, new GrainKey(e.Tenant, e.UserId), item.Request.Hashes[item.Index], now, create: true);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _silo.Log?.Invoke($"Partition {partition.Index}: could not activate {e.Tenant}/{e.UserId}: {ex.Message}");
                Drop(item.Request, item.Index, DropReason.StorageUnavailable);
                _grains[i] = null;
                _waves[i] = -1;
                continue;
            }

            if (grain!.BatchStamp != stamp)
            {
                grain.BatchStamp = stamp;
                grain.BatchWaves = 0;
            }

            int wave = grain.BatchWaves++;
            _grains[i] = grain;
            _waves[i] = wave;
            if (wave > maxWave) maxWave = wave;
            _idHashes[i] = e.EventId is { } id ? StableHash.Of(id) : 0;
        }

        // Stable counting sort of the batch by wave.
        int waves = maxWave + 1;
        Array.Clear(_waveStarts, 0, waves + 1);
        for (int i = 0; i < count; i++)
        {
            if (_waves[i] >= 0) _waveStarts[_waves[i] + 1]++;
        }

        for (int w = 0; w < waves; w++) _waveStarts[w + 1] += _waveStarts[w];
        Span<int> next = waves <= 256 ? stackalloc int[waves] : new int[waves];
        _waveStarts.AsSpan(0, waves).CopyTo(next);
        for (int i = 0; i < count; i++)
        {
            if (_waves[i] >= 0) _order[next[_waves[i]]++] = i;
        }

        for (int w = 0; w < waves; w++) RunWave(partition, _waveStarts[w], _waveStarts[w + 1], now);
        _batchStamp++;
        EnforceCap(partition);
    }

    private void RunWave(Partition partition, int start, int end, long now)
    {
        int d = _context.InputDimension, s = _context.StateSize;
        int rows = 0;
        for (int k = start; k < end; k++)
        {
            int i = _order[k];
            ref readonly WorkItem item = ref _batch[i];
            var request = item.Request!;
            ref readonly ClickEvent e = ref request.Events[item.Index];
            var grain = _grains[i]!;
            switch (grain.Admit(_context, e.EventId is not null, _idHashes[i], e.Timestamp.Ticks))
            {
                case EventAdmission.Duplicate:
                    MarkDirty(partition, grain);
                    Drop(request, item.Index, DropReason.Duplicate);
                    continue;
                case EventAdmission.Late:
                    MarkDirty(partition, grain);
                    Drop(request, item.Index, DropReason.LateDuplicate);
                    continue;
                case EventAdmission.OptedOut:
                    Interlocked.Increment(ref _silo.Counters.Suppressions[(int)SuppressionReason.OptedOut]);
                    Drop(request, item.Index, DropReason.OptedOut);
                    continue;
            }

            if (!grain.Prepare(_context, e, _inputs.AsSpan(rows * d, d), out _prepared[rows]))
            {
                MarkDirty(partition, grain);
                Drop(request, item.Index, DropReason.NonFiniteFeatures);
                continue;
            }

            grain.NetworkState.CopyTo(_states.AsSpan(rows * s, s));
            _rowItem[rows++] = i;
        }

        if (rows == 0) return;
        long stepStart = Stopwatch.GetTimestamp();
        _context.Model.Network.StepBatch(
            _inputs.AsSpan(0, rows * d), _states.AsSpan(0, rows * s), _buy.AsSpan(0, rows), _exit.AsSpan(0, rows), _attention.AsSpan(0, rows), _workspace);
        long turnStart = Stopwatch.GetTimestamp();
        NetworkSteps.Observe(turnStart - stepStart);

        var counters = _silo.Counters;
        Interlocked.Increment(ref counters.NetworkSteps);
        Interlocked.Add(ref counters.NetworkRows, rows);
        for (int r = 0; r < rows; r++)
        {
            int i = _rowItem[r];
            ref readonly WorkItem item = ref _batch[i];
            var request = item.Request!;
            ref readonly ClickEvent e = ref request.Events[item.Index];
            var grain = _grains[i]!;
            _states.AsSpan(r * s, s).CopyTo(grain.NetworkState);
            var score = grain.Complete(
                _context, e, e.EventId is not null, _idHashes[i], new StepOutput(_buy[r], _exit[r], _attention[r]), _prepared[r], now,
                out var decision, out var suppressed, out int conversions, out _);
            MarkDirty(partition, grain);
            if (suppressed is { } reason) Interlocked.Increment(ref counters.Suppressions[(int)reason]);
            if (conversions > 0) Interlocked.Add(ref counters.OffersAttributed, conversions);
            if (decision.Offer is { } offer)
            {
                Interlocked.Increment(ref counters.OffersFired);
                partition.OfferOwners[grain.KeyHash] = grain;
                partition.Proposals.Enqueue(grain.Key, now);
                _silo.Deliver(offer);
            }

            Interlocked.Increment(ref counters.Status[(int)IngestStatus.Accepted]);
            long done = Stopwatch.GetTimestamp();
            GrainTurns.Observe(done - turnStart);
            _latency.Observe(done - request.EnqueuedAt);
            request.Complete(item.Index, new IngestOutcome(IngestStatus.Accepted, null, score, decision));
            turnStart = done; // chained: no extra clock read per event (the next turn also carries this answer's completion)
        }
    }

    private void Drop(IngestRequest request, int index, DropReason reason)
    {
        _silo.Counters.Count(reason);
        _latency.Observe(Stopwatch.GetTimestamp() - request.EnqueuedAt);
        request.Complete(index, DropReasons.Outcome(reason));
    }

    // ------------------------------------------------------------------ activation

    /// <summary>
    /// The grain for <paramref name="key"/>: from memory, else restored from the write-behind hand-off or storage,
    /// else (when <paramref name="create"/>) a new one. Null when absent and not created.
    /// </summary>
    internal UserGrain? Activate(Partition partition, GrainKey key, ulong hash, long now, bool create)
    {
        if (partition.Grains.TryGetValue(key, out var grain))
        {
            partition.Touch(grain, now);
            return grain;
        }

        byte[]? stored = ReadStored(partition, key, hash);
        if (stored is null && !create) return null;
        grain = new UserGrain(key, hash, partition.Index);
        if (stored is not null)
        {
            try
            {
                if (!grain.Load(stored, _context)) Interlocked.Increment(ref _silo.Counters.SessionsDroppedOnModelChange);
            }
            catch (Exception ex) when (ex is InvalidDataException or ArgumentException)
            {
                _silo.Log?.Invoke($"Partition {partition.Index}: the stored state of {key} is unreadable ({ex.Message}); starting the grain fresh.");
                Interlocked.Increment(ref _silo.Counters.CorruptStates);
                grain = new UserGrain(key, hash, partition.Index);
            }
        }

        partition.Add(grain, now);
        if (grain.Trigger is { Offers.Count: > 0 }) partition.OfferOwners[hash] = grain;
        if (grain.OldestProposalTicks() is { } proposedAt) partition.Proposals.Enqueue(key, proposedAt);
        Interlocked.Increment(ref _silo.Counters.Activations);
        EnforceCap(partition);
        return grain;
    }

    /// <summary>The newest stored bytes of a grain not in memory: pending hand-off first, then in flight, then the file.</summary>
    private byte[]? ReadStored(Partition partition, GrainKey key, ulong hash)
    {
        if (_silo.Store is null) return null;
        lock (partition.WriteLock)
        {
            if (partition.Pending.TryGetValue(key, out var pending)) return pending.State;
            if (partition.InFlight is { } inFlight && inFlight.TryGetValue(key, out var flying)) return flying.State;
        }

        return partition.StoredHashes.Contains(hash) ? _reader!.Read(key) : null;
    }

    private static void MarkDirty(Partition partition, UserGrain grain)
    {
        if (grain.Dirty) return;
        grain.Dirty = true;
        partition.DirtyGrains.Add(grain);
    }

    /// <summary>Hands the grain's state to the write-behind (a delete when it holds nothing).</summary>
    private void Snapshot(Partition partition, UserGrain grain)
    {
        grain.Dirty = false;
        if (_silo.Store is null) return;
        byte[]? bytes = null;
        if (!grain.IsEmpty)
        {
            _stateWriter.Clear();
            grain.Save(_stateWriter, _context);
            bytes = _stateWriter.ToArray();
            partition.StoredHashes.Add(grain.KeyHash);
        }

        lock (partition.WriteLock) partition.Pending[grain.Key] = new PendingWrite(grain.KeyHash, bytes);
    }

    private void Deactivate(Partition partition, UserGrain grain)
    {
        if (grain.Dirty) Snapshot(partition, grain);
        partition.Remove(grain);
        Interlocked.Increment(ref _silo.Counters.Deactivations);
    }

    /// <summary>
    /// Deactivates least recently used grains while the partition is over its cap, sparing grains the current
    /// batch uses (they are the most recent ones; the cap is restored after the batch).
    /// </summary>
    private void EnforceCap(Partition partition)
    {
        while (partition.Grains.Count > partition.ActivationCap && partition.Oldest is { } oldest && oldest.BatchStamp != _batchStamp)
        {
            Deactivate(partition, oldest);
            Interlocked.Increment(ref _silo.Counters.Evictions);
        }
    }

    // ------------------------------------------------------------------ maintenance

    private void MaintainIfDue()
    {
        long now = _silo.NowTicks;
        long interval = _silo.Options.FlushInterval.Ticks;
        foreach (var partition in _partitions)
        {
            if (now - partition.LastFlushTicks >= interval) Maintain(partition, now, force: false);
        }
    }

    /// <summary>
    /// Deactivates idle grains (flushing them) and hands every dirty state to the write-behind. When
    /// <paramref name="force"/> is false and the writer has not yet taken the previous hand-off of this partition,
    /// the dirty grains wait for the next round instead: serializing them again would only replace snapshots that
    /// were never written, so snapshots are taken at the writer's pace.
    /// </summary>
    internal void Maintain(Partition partition, long now, bool force)
    {
        ExpireDueProposals(partition, now);
        long idle = _silo.IdleTimeout.Ticks;
        while (partition.Oldest is { } oldest && now - oldest.LastTouchedTicks > idle)
        {
            oldest.CloseSession(_silo.Counters);
            Deactivate(partition, oldest);
        }
        bool writerBehind;
        lock (partition.WriteLock) writerBehind = partition.Pending.Count > 0;
        if (force || !writerBehind) FlushDirty(partition);
        partition.LastFlushTicks = now;
    }

    /// <summary>
    /// Expires, by the silo clock, every proposal of an active grain older than the running policy's time to live, whether
    /// or not anything touches the grain, so an unconfirmed offer is counted expired (statistics and experiments) when its
    /// life ends rather than at the shopper's next event or view. A grain deactivated meanwhile expires its proposals when
    /// it is next activated (activation queues its pending proposals again). Expiring is idempotent, so a key queued more
    /// than once costs a lookup, never a second count.
    /// </summary>
    private void ExpireDueProposals(Partition partition, long now)
    {
        long timeToLive = _context.Policy.ProposalTimeToLive.Ticks;
        while (partition.Proposals.TryPeek(out var key, out long proposedAt) && now - proposedAt > timeToLive)
        {
            partition.Proposals.Dequeue();
            if (partition.Grains.TryGetValue(key, out var grain) && grain.ExpireProposals(_context, now) > 0) MarkDirty(partition, grain);
        }
    }

    /// <summary>Hands every dirty grain's state to the write-behind and wakes the writer.</summary>
    internal void FlushDirty(Partition partition)
    {
        if (partition.DirtyGrains.Count == 0) return;
        foreach (var grain in partition.DirtyGrains)
        {
            if (grain.Dirty) Snapshot(partition, grain);
        }

        partition.DirtyGrains.Clear();
        _silo.WriteBehind?.Nudge();
    }

    // ------------------------------------------------------------------ control messages

    /// <summary>The view of a user, activating a stored grain; null when the silo holds nothing for them.</summary>
    internal UserView? View(Partition partition, GrainKey key, ulong hash)
    {
        long now = _silo.NowTicks;
        var grain = Activate(partition, key, hash, now, create: false);
        if (grain is null) return null;
        if (grain.ExpireProposals(_context, now) > 0) MarkDirty(partition, grain);

        return grain.View(_context, now);
    }

    /// <summary>Sets a user's consent (withdrawing tracking erases their data but remembers the withdrawal).</summary>
    internal bool SetConsent(Partition partition, GrainKey key, ulong hash, Consent consent)
    {
        var grain = Activate(partition, key, hash, _silo.NowTicks, create: true)!;
        grain.SetConsent(consent);
        if (!consent.Tracking && partition.OfferOwners.TryGetValue(hash, out var owner) && owner == grain) partition.OfferOwners.Remove(hash);
        MarkDirty(partition, grain);
        return true;
    }

    /// <summary>Erases a user from memory and storage; true when anything was held.</summary>
    internal bool Erase(Partition partition, GrainKey key, ulong hash)
    {
        bool existed = false;
        if (partition.Grains.TryGetValue(key, out var grain))
        {
            existed = !grain.IsEmpty;
            grain.Dirty = false;
            partition.Remove(grain);
            Interlocked.Increment(ref _silo.Counters.Deactivations);
        }
        else if (_silo.Store is not null)
        {
            existed = ReadStored(partition, key, hash) is not null;
        }

        if (_silo.Store is not null)
        {
            lock (partition.WriteLock) partition.Pending[key] = new PendingWrite(hash, null);
            _silo.WriteBehind?.Nudge();
        }

        return existed;
    }

    /// <summary>Routes feedback to the grain that owns the offer (in memory, in the hand-off, or in storage).</summary>
    internal FeedbackOutcome Feedback(Partition partition, string offerId, ulong hash, OfferFeedback feedback)
    {
        long now = _silo.NowTicks;
        var grain = FindOfferOwner(partition, offerId, hash, now);
        if (grain is null) return FeedbackOutcome.UnknownOffer;
        var outcome = grain.RecordFeedback(_context, offerId, feedback, now, out int expired);
        if (outcome == FeedbackOutcome.Recorded || expired > 0) MarkDirty(partition, grain);
        return outcome;
    }

    private UserGrain? FindOfferOwner(Partition partition, string offerId, ulong hash, long now)
    {
        if (partition.OfferOwners.TryGetValue(hash, out var owner) && owner.HasOffer(offerId))
        {
            partition.Touch(owner, now);
            return owner;
        }

        // Rare: another active grain with the same key hash, or an owner that is not in memory.
        foreach (var grain in partition.Grains.Values)
        {
            if (grain.KeyHash == hash && grain.HasOffer(offerId))
            {
                partition.Touch(grain, now);
                return grain;
            }
        }

        if (_silo.Store is null) return null;
        var candidates = new List<GrainKey>();
        lock (partition.WriteLock)
        {
            foreach (var (key, write) in partition.Pending)
            {
                if (write.KeyHash == hash) candidates.Add(key);
            }

            if (partition.InFlight is { } inFlight)
            {
                foreach (var (key, write) in inFlight)
                {
                    if (write.KeyHash == hash && !candidates.Contains(key)) candidates.Add(key);
                }
            }
        }

        foreach (var key in _reader!.FindByHash(partition.Index, hash))
        {
            if (!candidates.Contains(key)) candidates.Add(key);
        }

        foreach (var key in candidates)
        {
            if (partition.Grains.ContainsKey(key)) continue;
            var grain = Activate(partition, key, hash, now, create: false);
            if (grain?.HasOffer(offerId) == true) return grain;
        }

        return null;
    }
}
