using MicroMoment.Silo.Runtime;

namespace MicroMoment.Silo.Storage;

/// <summary>
/// The one writer of a silo: a thread that, every flush interval or when nudged, takes each partition's pending
/// snapshots (the latest per grain), writes them in one transaction fenced by the partition's epoch, and only
/// then lets go of them, so a grain reactivated meanwhile still finds its newest state. A failed round puts its
/// writes back (unless newer ones arrived) and is retried. A partition whose epoch was taken by another owner
/// is marked fenced and its writes are dropped.
/// </summary>
internal sealed class WriteBehind : IDisposable
{
    private readonly SqliteGrainStore _store;
    private readonly Partition[] _partitions;
    private readonly SiloRuntime _silo;
    private readonly Thread _thread;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly List<(TaskCompletionSource Done, bool Scrub)> _waiters = [];
    private readonly int _intervalMilliseconds;
    private int _nudged;
    private volatile bool _stopping;
    private long _countersWritten;
    private volatile string? _failure;

    /// <summary>Starts the writer thread.</summary>
    public WriteBehind(SqliteGrainStore store, Partition[] partitions, SiloRuntime silo)
    {
        _store = store;
        _partitions = partitions;
        _silo = silo;
        _intervalMilliseconds = (int)Math.Clamp(silo.Options.FlushInterval.TotalMilliseconds, 1, int.MaxValue);
        _thread = new Thread(Loop) { IsBackground = true, Name = "MicroMoment silo write-behind" };
        _thread.Start();
    }

    /// <summary>Snapshots waiting to be written or being written now.</summary>
    public long PendingWrites
    {
        get
        {
            long total = 0;
            foreach (var partition in _partitions)
            {
                lock (partition.WriteLock) total += partition.Pending.Count + (partition.InFlight?.Count ?? 0);
            }

            return total;
        }
    }

    /// <summary>Why the last round failed, or null while writes succeed (a failed round is retried every interval).</summary>
    public string? Failure => _failure;

    /// <summary>Asks for a round soon.</summary>
    public void Nudge()
    {
        if (Interlocked.Exchange(ref _nudged, 1) == 0) _signal.Release();
    }

    /// <summary>Completes after a round that started after this call (so every snapshot handed over before is written).</summary>
    /// <param name="scrub">Also empty the write-ahead log after the round, so the page images of what it deleted or
    /// rewrote (an erased shopper) do not stay in the log.</param>
    public Task FlushAsync(bool scrub = false)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters) _waiters.Add((done, scrub));
        _signal.Release();
        return done.Task;
    }

    /// <summary>Writes what is pending and stops the thread.</summary>
    public void Dispose()
    {
        _stopping = true;
        _signal.Release();
        _thread.Join();
        _signal.Dispose();
    }

    private void Loop()
    {
        while (true)
        {
            _signal.Wait(_intervalMilliseconds);
            Volatile.Write(ref _nudged, 0);
            bool stopping = _stopping;
            (TaskCompletionSource Done, bool Scrub)[] waiters;
            lock (_waiters)
            {
                waiters = [.. _waiters];
                _waiters.Clear();
            }

            Exception? failure = Round();
            if (failure is null && waiters.Any(w => w.Scrub)) failure = Scrub();
            foreach (var (waiter, _) in waiters)
            {
                if (failure is null) waiter.TrySetResult();
                else waiter.TrySetException(new IOException($"Writing grain state to '{_store.Path}' failed: {failure.Message}", failure));
            }

            if (stopping) return;
        }
    }

    private Exception? Round()
    {
        var batches = new List<WriteBatch>();
        var taken = new List<Partition>();
        foreach (var partition in _partitions)
        {
            lock (partition.WriteLock)
            {
                if (partition.InFlight is null && partition.Pending.Count > 0)
                {
                    partition.InFlight = partition.Pending;
                    partition.Pending = [];
                }

                if (partition.InFlight is { } writes)
                {
                    batches.Add(new WriteBatch(partition.Index, partition.Epoch, writes));
                    taken.Add(partition);
                }
            }
        }

        // The experiment counters go with the grain states that moved them, in the same transaction; not once another
        // silo took a partition over (it now owns the counters too).
        var ledger = _silo.Context.Ledger;
        long changes = ledger.Changes;
        bool countersChanged = changes != _countersWritten && !_partitions.Any(p => p.Fenced);
        if (batches.Count == 0 && !countersChanged) return null;
        var counters = countersChanged ? ledger.Snapshot() : null;
        var fenced = new List<int>();
        try
        {
            var (written, refused) = _store.Write(batches, fenced, counters);
            if (countersChanged) _countersWritten = changes;
            Interlocked.Add(ref _silo.Counters.WritesCommitted, written);
            if (refused > 0)
            {
                Interlocked.Add(ref _silo.Counters.WritesFenced, refused);
                _silo.Log?.Invoke($"Write-behind: {refused} grain state(s) refused because a newer owner epoch holds them.");
            }

            foreach (int p in fenced)
            {
                if (!_partitions[p].Fenced)
                {
                    _partitions[p].Fenced = true;
                    _silo.Log?.Invoke($"Partition {p}: another owner took it over (its epoch is above {_partitions[p].Epoch}); this silo stops taking its events.");
                }
            }

            foreach (var partition in taken)
            {
                lock (partition.WriteLock) partition.InFlight = null;
            }

            if (_failure is not null) _silo.Log?.Invoke("Write-behind: writing grain state works again.");
            _failure = null;
            return null;
        }
        catch (Exception ex)
        {
            _failure = ex.Message;
            Interlocked.Increment(ref _silo.Counters.WriteFailures);
            _silo.Log?.Invoke($"Write-behind round failed ({ex.Message}); its states stay pending and are retried.");
            foreach (var partition in taken)
            {
                lock (partition.WriteLock)
                {
                    foreach (var (key, write) in partition.InFlight!) partition.Pending.TryAdd(key, write);
                    partition.InFlight = null;
                }
            }

            return ex;
        }
    }

    private Exception? Scrub()
    {
        try
        {
            if (!_store.TruncateLog()) _silo.Log?.Invoke("Write-behind: readers kept part of the write-ahead log; it is emptied at a later checkpoint.");
            return null;
        }
        catch (Exception ex)
        {
            _silo.Log?.Invoke($"Write-behind: emptying the write-ahead log failed ({ex.Message}).");
            return ex;
        }
    }
}
