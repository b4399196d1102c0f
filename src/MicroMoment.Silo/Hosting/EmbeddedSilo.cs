using System.Buffers;
using System.Globalization;
using MicroMoment.Events;
using MicroMoment.Scoring;
using MicroMoment.Silo.Grains;
using MicroMoment.Silo.Runtime;
using MicroMoment.Silo.Storage;

namespace MicroMoment.Silo;

/// <summary>
/// A single-process silo: every partition is local, events travel through in-process queues, grain state is
/// written behind to SQLite under <see cref="SiloOptions.DataDirectory"/> (or kept only in memory without one).
/// </summary>
/// <remarks>
/// <para>Users hash (stable FNV-1a over UTF-8) to <see cref="SiloOptions.Partitions"/> partitions; each partition's
/// queue is drained in order by one worker thread, in batches whose network steps run as one matrix product per
/// wave of distinct users. Scores equal <see cref="SessionScorer"/> run per user (to float rounding).</para>
/// <para>Back-pressure: a partition holds at most <see cref="SiloOptions.QueueCapacity"/> waiting events; the rest of
/// a call's events for that partition are answered <see cref="IngestStatus.Overloaded"/> at once (never queued), so
/// memory stays bounded. A user's events are never reordered: once one is refused, the call's later events of that
/// partition are refused too.</para>
/// <para>De-duplication: each grain remembers the 64-bit hashes of its last <see cref="SiloOptions.DedupCapacity"/> event
/// ids (persisted with its state); a retried id is answered duplicate while it is among them, and after that when it
/// carries its original timestamp (it is then older than the shopper's latest event: <c>late-duplicate</c>). Events
/// without an id (offline logs) are always applied: a retried event without an id is applied twice.</para>
/// <para>Durability: an event is answered once it is applied in memory; state is written behind every
/// <see cref="SiloOptions.FlushInterval"/>, on deactivation, on <see cref="FlushAsync"/> and on dispose, so a process
/// crash loses at most the events answered in the last interval plus the write in flight. Each start takes over every
/// partition by raising its epoch in the file; writes carrying a lower epoch are refused, so an older silo on the
/// same directory cannot overwrite a newer one (it stops taking events of partitions it lost and is no longer ready).
/// Hosts keep a second process off the directory with <see cref="DataDirectoryLock"/>.</para>
/// <para>Without a data directory, a deactivated (idle or evicted) grain's state is gone.</para>
/// </remarks>
public sealed class EmbeddedSilo : IMicroMomentSilo, ISiloCensus
{
    private readonly SiloRuntime _runtime;
    private readonly Partition[] _partitions;
    private readonly PartitionWorker[] _workers;
    private readonly int _capacity;
    private readonly PolicyWatcher? _policyWatcher;
    private readonly PolicyStatus _fixedPolicyStatus;
    private int _callers;
    private volatile bool _accepting = true;
    private int _disposed;

    private EmbeddedSilo(SiloRuntime runtime, Partition[] partitions, int workerCount)
    {
        _runtime = runtime;
        _partitions = partitions;
        _capacity = runtime.Options.QueueCapacity;
        _workers = new PartitionWorker[workerCount];
        for (int w = 0; w < workerCount; w++)
            _workers[w] = new PartitionWorker(runtime, w, [.. partitions.Where(p => p.Index % workerCount == w)]);
        if (runtime.Store is not null) runtime.WriteBehind = new WriteBehind(runtime.Store, partitions, runtime);
        var context = runtime.Context;
        _fixedPolicyStatus = PolicyWatcher.StatusOf(context.Policy, context.PolicyHash, runtime.Time.GetUtcNow(), 0, 0, null, null, watching: false);
        if (runtime.Options.PolicyPath is { } path)
            _policyWatcher = new PolicyWatcher(context, path, context.PolicyHash!, runtime.Options.PolicyPollInterval, runtime.Time, runtime.Log);
    }

    /// <summary>The model the silo scores with.</summary>
    public MicroMomentModel Model => _runtime.Context.Model;

    /// <summary>The validated options.</summary>
    public SiloOptions Options => _runtime.Options;

    /// <summary>The model's behavioral clusters (names and centroids), cached for the silo's life.</summary>
    public ClusterCentroidGrain Clusters => _runtime.Context.Clusters;

    /// <summary>The state file, or null without persistence.</summary>
    public string? StatePath => _runtime.Store?.Path;

    /// <summary>The epoch this silo holds for each partition (1 without persistence).</summary>
    public IReadOnlyList<long> Epochs => [.. _partitions.Select(p => p.Epoch)];

    /// <summary>
    /// Starts a silo: validates the options, opens (or creates) the state file and takes over its partitions,
    /// then starts the workers and the writer. Stored grains are restored lazily, on their first message.
    /// </summary>
    /// <param name="model">The model to score with.</param>
    /// <param name="options">Settings (null: defaults, no persistence).</param>
    /// <param name="time">The silo clock for idle timeouts, flush intervals and offer expiry (null: system clock).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    /// <exception cref="StateFileException">The state file is damaged, is not a state file or holds another schema version (it is left as it was).</exception>
    /// <exception cref="InvalidOperationException">The data directory holds state of another partition count.</exception>
    public static async Task<EmbeddedSilo> StartAsync(MicroMomentModel model, SiloOptions? options = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new SiloOptions();
        options.Validate();
        var context = new GrainContext(model, options);
        SqliteGrainStore? store = null;
        HashSet<ulong>[]? hashes = null;
        if (options.DataDirectory is { } directory)
        {
            (store, hashes) = await Task.Run(() =>
            {
                var opened = SqliteGrainStore.Open(directory, options.Partitions);
                try
                {
                    foreach (string metric in context.Ledger.Restore(opened.LoadExperimentCounters()).Distinct())
                        options.Log?.Invoke($"Silo state: experiment counter metric '{metric}' is unknown to this build and was skipped; expected one of: {string.Join(", ", Enum.GetNames<Triggers.ExperimentMetric>())}.");
                    return (opened, opened.LoadKeyHashes());
                }
                catch (Microsoft.Data.Sqlite.SqliteException ex)
                {
                    opened.Dispose();
                    throw new StateFileException(opened.Path, $"Reading the state file {opened.Path} failed: '{StateFileCheck.Describe(ex)}' (SQLite error {ex.SqliteErrorCode}). Restore the data directory from a backup, or move the file aside with its -wal and -shm files to start with empty state.", ex);
                }
                catch
                {
                    opened.Dispose();
                    throw;
                }
            }, cancellationToken).ConfigureAwait(false);
            options.Log?.Invoke($"Silo state: {store.Path} ({hashes.Sum(h => h.Count)} stored grains, epochs {store.Epochs.Min()}..{store.Epochs.Max()}).");
        }

        var runtime = new SiloRuntime(options, context, time ?? TimeProvider.System, store);
        int cap = Math.Max(1, options.MaxActivations / options.Partitions);
        var partitions = new Partition[options.Partitions];
        for (int p = 0; p < partitions.Length; p++)
            partitions[p] = new Partition(p, store?.Epochs[p] ?? 1, hashes?[p] ?? [], cap) { LastFlushTicks = runtime.NowTicks };
        int workers = options.WorkerCount ?? Math.Clamp(Environment.ProcessorCount, 1, options.Partitions);
        return new EmbeddedSilo(runtime, partitions, workers);
    }

    /// <inheritdoc/>
    /// <remarks>A <see cref="ClickEvent"/>[] is used as is: do not change it until the returned task completes.</remarks>
    public ValueTask<IReadOnlyList<IngestOutcome>> IngestAsync(IReadOnlyList<ClickEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        cancellationToken.ThrowIfCancellationRequested();
        if (events.Count == 0) return new ValueTask<IReadOnlyList<IngestOutcome>>(Array.Empty<IngestOutcome>());
        var request = new IngestRequest(events as ClickEvent[] ?? [.. events]);
        Enter();
        try
        {
            Submit(request);
        }
        finally
        {
            Interlocked.Decrement(ref _callers);
        }

        var task = request.Task;
        return new ValueTask<IReadOnlyList<IngestOutcome>>(cancellationToken.CanBeCanceled && !task.IsCompleted ? task.WaitAsync(cancellationToken) : task);
    }

    /// <inheritdoc/>
    public async ValueTask<UserView?> GetUserAsync(string tenant, string userId, CancellationToken cancellationToken = default)
    {
        var (key, hash, partition) = Route(tenant, userId);
        return await Send(partition, (worker, p) => worker.View(p, key, hash)).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The id is blank or <paramref name="at"/> is not UTC.</exception>
    public async ValueTask<FeedbackOutcome> RecordFeedbackAsync(string offerId, OfferFeedback feedback, DateTime at, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(offerId)) throw new ArgumentException("The offer id is blank; expected the id of an offer the silo fired.", nameof(offerId));
        if (at.Kind != DateTimeKind.Utc) throw new ArgumentException($"The feedback time {at:O} is {at.Kind}; expected UTC (DateTimeKind.Utc).", nameof(at));
        if (!Enum.IsDefined(feedback)) throw new ArgumentException($"Feedback {(int)feedback} is not an OfferFeedback; expected Shown, Clicked, Dismissed or Converted.", nameof(feedback));
        FeedbackOutcome outcome;
        if (!TryParseOfferId(offerId, out int partition, out ulong hash) || partition >= _partitions.Length)
        {
            outcome = FeedbackOutcome.UnknownOffer;
        }
        else
        {
            outcome = await Send(partition, (worker, p) => worker.Feedback(p, offerId, hash, feedback)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _runtime.Counters.Feedback[(int)outcome]);
        return outcome;
    }

    /// <inheritdoc/>
    /// <remarks>Returns after the change is durable (withdrawing tracking deletes the stored session before returning).</remarks>
    public async ValueTask SetConsentAsync(string tenant, string userId, Consent consent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(consent);
        var (key, hash, partition) = Route(tenant, userId);
        await Send(partition, (worker, p) =>
        {
            worker.SetConsent(p, key, hash, consent);
            worker.FlushDirty(p);
            return true;
        }).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_runtime.WriteBehind is { } writer) await writer.FlushAsync(scrub: !consent.Tracking).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <remarks>Returns after the stored row is deleted: its bytes are overwritten with zeros in the state file and the
    /// write-ahead log is emptied, so the shopper's id and event ids are no longer in any file of the data directory.</remarks>
    public async ValueTask<bool> EraseUserAsync(string tenant, string userId, CancellationToken cancellationToken = default)
    {
        var (key, hash, partition) = Route(tenant, userId);
        bool existed = await Send(partition, (worker, p) => worker.Erase(p, key, hash)).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_runtime.WriteBehind is { } writer) await writer.FlushAsync(scrub: true).WaitAsync(cancellationToken).ConfigureAwait(false);
        return existed;
    }

    /// <inheritdoc/>
    public void Subscribe(IOfferSink sink)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _runtime.Subscribe(sink);
    }

    /// <summary>Hands every changed grain state to storage and returns once it is written (no-op without persistence).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await Broadcast((worker, p) =>
        {
            worker.FlushDirty(p);
            return true;
        }).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_runtime.WriteBehind is { } writer) await writer.FlushAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the periodic duties now, by the silo clock: deactivates grains idle longer than the idle timeout
    /// (flushing them first) and writes every changed state. Workers also run them on their own every flush interval.
    /// </summary>
    public async Task RunMaintenanceAsync(CancellationToken cancellationToken = default)
    {
        await Broadcast((worker, p) =>
        {
            worker.Maintain(p, _runtime.NowTicks, force: true);
            return true;
        }).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (_runtime.WriteBehind is { } writer) await writer.FlushAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The running trigger policy and how its reloads went.</summary>
    public PolicyStatus PolicyStatus => _policyWatcher?.Status ?? _fixedPolicyStatus;

    /// <summary>
    /// Checks the policy file now (as a file-system notification would) and swaps the policy when its content changed
    /// and validates; true when it swapped. False without a policy file. A file that fails is recorded in
    /// <see cref="PolicyStatus"/> and the running policy stays.
    /// </summary>
    public bool ReloadPolicy() => _policyWatcher?.Check(force: true) ?? false;

    /// <inheritdoc/>
    public ExperimentsReport GetExperiments() => Triggers.ExperimentReporter.Build(_runtime.Context.Policy, _runtime.Context.Ledger, _runtime.Time.GetUtcNow());

    /// <inheritdoc/>
    public SiloStatistics GetStatistics()
    {
        var c = _runtime.Counters;
        var buckets = new long[LatencyHistogram.Bounds.Length + 1];
        long sumTicks = 0, count = 0;
        foreach (var worker in _workers) worker.Latency.AddTo(buckets, ref sumTicks, ref count);
        var turns = new long[TurnHistogram.Bounds.Length + 1];
        var steps = new long[TurnHistogram.Bounds.Length + 1];
        foreach (var worker in _workers)
        {
            worker.GrainTurns.AddTo(turns);
            worker.NetworkSteps.AddTo(steps);
        }
        var cumulative = new List<KeyValuePair<double, long>>(buckets.Length);
        long running = 0;
        for (int i = 0; i < buckets.Length; i++)
        {
            running += buckets[i];
            cumulative.Add(KeyValuePair.Create(i < LatencyHistogram.Bounds.Length ? LatencyHistogram.Bounds[i] : double.PositiveInfinity, running));
        }

        var byStatus = Enum.GetValues<IngestStatus>().ToDictionary(s => s.ToString(), s => Volatile.Read(ref c.Status[(int)s]));
        var drops = new Dictionary<string, long>();
        for (int i = 0; i < DropReasons.Count; i++)
        {
            long n = Volatile.Read(ref c.Drops[i]);
            if (n > 0) drops[DropReasons.Code((DropReason)i)] = n;
        }

        var suppressions = new Dictionary<string, long>();
        for (int i = 0; i < TriggerPolicy.AllReasonCodes.Count; i++) suppressions[TriggerPolicy.AllReasonCodes[i]] = Volatile.Read(ref c.Suppressions[i]);
        long live = 0;
        foreach (var p in _partitions) live += p.LiveActivations;
        string? notReady = NotReadyReason();
        return new SiloStatistics(
            byStatus[nameof(IngestStatus.Accepted)],
            byStatus,
            drops,
            Volatile.Read(ref c.OffersFired),
            suppressions,
            live,
            Volatile.Read(ref c.Activations),
            Volatile.Read(ref c.Deactivations),
            [.. _partitions.Select(p => p.Depth)],
            _capacity,
            cumulative,
            sumTicks / (double)System.Diagnostics.Stopwatch.Frequency,
            count,
            _runtime.WriteBehind?.PendingWrites ?? 0,
            notReady is null)
        {
            NotReadyReason = notReady,
            OffersExpired = Volatile.Read(ref c.OffersExpired),
            UnknownTimeZones = Volatile.Read(ref c.UnknownTimeZones),
            OffersAttributed = Volatile.Read(ref c.OffersAttributed),
            FeedbackByOutcome = Enum.GetValues<FeedbackOutcome>().ToDictionary(o => o.ToString(), o => Volatile.Read(ref c.Feedback[(int)o])),
            Evictions = Volatile.Read(ref c.Evictions),
            WritesCommitted = Volatile.Read(ref c.WritesCommitted),
            WritesFenced = Volatile.Read(ref c.WritesFenced),
            WriteFailures = Volatile.Read(ref c.WriteFailures),
            FencedPartitions = _partitions.Count(p => p.Fenced),
            NetworkSteps = Volatile.Read(ref c.NetworkSteps),
            NetworkRows = Volatile.Read(ref c.NetworkRows),
            GrainTurnBuckets = TurnHistogram.Cumulative(turns),
            NetworkStepBuckets = TurnHistogram.Cumulative(steps),
            Policy = PolicyStatus,
            Alerts = _runtime.Alerts.Evaluate(
                new AlertMonitor.Sample(
                    _runtime.NowTicks, Volatile.Read(ref c.SessionsClosed), Volatile.Read(ref c.SessionsClosedWithoutPurchase), Volatile.Read(ref c.OfferedSessionsClosed),
                    Volatile.Read(ref c.OfferedSessionsWithoutPurchase), Volatile.Read(ref c.OffersInClosedSessions), buckets),
                _runtime.Context.Policy.Monitoring),
            AlertWindow = AlertMonitor.Window,
        };
    }

    /// <summary>Why the silo cannot take every event now (shutting down, partitions lost, storage failing), or null when it can.</summary>
    private string? NotReadyReason()
    {
        if (!_accepting || Volatile.Read(ref _disposed) != 0) return "The silo is shutting down and takes no more events.";
        int fenced = 0;
        foreach (var p in _partitions) fenced += p.Fenced ? 1 : 0;
        if (fenced > 0)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"{fenced} of {_partitions.Length} partitions were taken over by another silo on the same state file ({StatePath}); their events are refused (partition-fenced).");
        }

        if (_runtime.WriteBehind?.Failure is { } failure)
            return $"Writing grain state to {StatePath} fails ({failure}); acknowledged events would not become durable. Retried every flush interval.";
        return null;
    }

    /// <inheritdoc/>
    public async ValueTask<SessionCensus> CensusAsync(int hottest, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hottest);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hottest, 1000);
        int clusters = _runtime.Context.Clusters.Count;
        var context = _runtime.Context;
        long now = _runtime.NowTicks;
        var parts = await Task.WhenAll(Enumerable.Range(0, _partitions.Length).Select(p => Send(p, (worker, partition) =>
        {
            long idle = 0;
            var byCluster = new long[clusters];
            var byIntent = new long[Enum.GetValues<Scoring.Intent>().Length];
            var top = new PriorityQueue<HotGrain, long>();
            foreach (var grain in partition.Grains.Values)
            {
                if (grain.LiveSessionScore(context, now) is { } score)
                {
                    if ((uint)score.Cluster < (uint)clusters) byCluster[score.Cluster]++;
                    byIntent[(int)score.Intent]++;
                }
                else if (grain.HasSession)
                {
                    idle++;
                }
                if (hottest == 0) continue;
                if (top.Count < hottest) top.Enqueue(new HotGrain(grain.Key.Tenant, grain.Key.UserId, partition.Index, grain.EventsApplied), grain.EventsApplied);
                else if (top.TryPeek(out _, out long least) && grain.EventsApplied > least)
                    top.EnqueueDequeue(new HotGrain(grain.Key.Tenant, grain.Key.UserId, partition.Index, grain.EventsApplied), grain.EventsApplied);
            }
            return (Count: (long)partition.Grains.Count, Idle: idle, byCluster, byIntent, Top: top.UnorderedItems.Select(i => i.Element).ToArray());
        }))).WaitAsync(cancellationToken).ConfigureAwait(false);

        var totalByCluster = new long[clusters];
        var totalByIntent = new long[Enum.GetValues<Scoring.Intent>().Length];
        long active = 0, idleSessions = 0;
        foreach (var part in parts)
        {
            active += part.Count;
            idleSessions += part.Idle;
            for (int c = 0; c < clusters; c++) totalByCluster[c] += part.byCluster[c];
            for (int i = 0; i < totalByIntent.Length; i++) totalByIntent[i] += part.byIntent[i];
        }
        var hot = parts.SelectMany(p => p.Top).OrderByDescending(g => g.EventsApplied).ThenBy(g => g.UserId, StringComparer.Ordinal).Take(hottest).ToArray();
        return new SessionCensus(active, totalByCluster, Enum.GetValues<Scoring.Intent>().ToDictionary(i => i.ToString(), i => totalByIntent[(int)i]), hot)
        {
            IdleSessions = idleSessions,
        };
    }

    /// <summary>Stops taking messages, lets the queued ones run, writes all changed state and stops the threads.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _accepting = false;
        _policyWatcher?.Dispose();
        var spin = new SpinWait();
        while (Volatile.Read(ref _callers) > 0) spin.SpinOnce();
        await Task.Run(() =>
        {
            // Workers finish their queues and hand every changed state over; the writer's last round writes it.
            foreach (var worker in _workers) worker.Dispose();
            _runtime.WriteBehind?.Dispose();
            _runtime.Store?.Dispose();
        }).ConfigureAwait(false);
    }

    // ------------------------------------------------------------------ internals

    /// <summary>Parses "{partition:x}-{keyHash:x16}-{sequence:x}".</summary>
    internal static bool TryParseOfferId(string offerId, out int partition, out ulong keyHash)
    {
        partition = 0;
        keyHash = 0;
        var span = offerId.AsSpan();
        int first = span.IndexOf('-');
        if (first <= 0) return false;
        int second = span[(first + 1)..].IndexOf('-');
        if (second != 16) return false;
        return int.TryParse(span[..first], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out partition)
            && ulong.TryParse(span.Slice(first + 1, 16), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out keyHash)
            && span.Length > first + 18
            && int.TryParse(span[(first + 18)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _);
    }

    /// <summary>The reason an event is invalid, or null when the silo can apply it.</summary>
    internal static DropReason? Validate(in ClickEvent e)
    {
        if (string.IsNullOrEmpty(e.Tenant)) return DropReason.MissingTenant;
        if (string.IsNullOrWhiteSpace(e.UserId)) return DropReason.MissingUser;
        if (e.Timestamp.Kind != DateTimeKind.Utc) return DropReason.TimestampNotUtc;
        if (float.IsInfinity(e.Price)) return DropReason.NonFinitePrice;
        if (e.Price < 0) return DropReason.NegativePrice;
        if ((uint)e.Type >= EventTypes.Count) return DropReason.UnknownType;
        if (e.ProductId < 0 || e.CategoryId < 0) return DropReason.NegativeId;
        return null;
    }

    private void Submit(IngestRequest request)
    {
        var events = request.Events;
        int n = events.Length, partitions = _partitions.Length;
        int[] partitionOf = ArrayPool<int>.Shared.Rent(n);
        int[] granted = ArrayPool<int>.Shared.Rent(partitions);
        bool[] wake = ArrayPool<bool>.Shared.Rent(_workers.Length);
        try
        {
            Array.Clear(granted, 0, partitions);
            Array.Clear(wake, 0, _workers.Length);
            for (int i = 0; i < n; i++)
            {
                if (Validate(events[i]) is { } reason)
                {
                    partitionOf[i] = -1;
                    _runtime.Counters.Count(reason);
                    request.Complete(i, DropReasons.Outcome(reason));
                    continue;
                }

                ulong hash = StableHash.Of(events[i].Tenant, events[i].UserId);
                request.Hashes[i] = hash;
                int p = StableHash.PartitionOf(hash, partitions);
                partitionOf[i] = p;
                granted[p]++;
            }

            for (int p = 0; p < partitions; p++)
            {
                if (granted[p] > 0) granted[p] = _partitions[p].Fenced ? -1 : _partitions[p].Reserve(granted[p], _capacity);
            }

            for (int i = 0; i < n; i++)
            {
                int p = partitionOf[i];
                if (p < 0) continue;
                if (granted[p] > 0)
                {
                    granted[p]--;
                    _partitions[p].Queue.Enqueue(new WorkItem(request, i, null));
                    wake[p % _workers.Length] = true;
                }
                else
                {
                    var reason = granted[p] < 0 ? DropReason.PartitionFenced : DropReason.Overloaded;
                    _runtime.Counters.Count(reason);
                    request.Complete(i, DropReasons.Outcome(reason));
                }
            }

            for (int w = 0; w < _workers.Length; w++)
            {
                if (wake[w]) _workers[w].Wake();
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(partitionOf);
            ArrayPool<int>.Shared.Return(granted);
            ArrayPool<bool>.Shared.Return(wake);
        }
    }

    private (GrainKey Key, ulong Hash, int Partition) Route(string tenant, string userId)
    {
        if (string.IsNullOrEmpty(tenant)) throw new ArgumentException("The tenant is empty; expected the shop's tenant id (\"default\" for single-tenant use).", nameof(tenant));
        if (string.IsNullOrWhiteSpace(userId)) throw new ArgumentException("The user id is blank; expected the shopper's id.", nameof(userId));
        ulong hash = StableHash.Of(tenant, userId);
        return (new GrainKey(tenant, userId), hash, StableHash.PartitionOf(hash, _partitions.Length));
    }

    private Task<T> Send<T>(int partition, Func<PartitionWorker, Partition, T> action)
    {
        var message = new ControlMessage<T>(action);
        Enter();
        try
        {
            _partitions[partition].Queue.Enqueue(new WorkItem(null, 0, message));
            _workers[partition % _workers.Length].Wake();
        }
        finally
        {
            Interlocked.Decrement(ref _callers);
        }

        return message.Task;
    }

    private Task Broadcast(Func<PartitionWorker, Partition, bool> action) =>
        Task.WhenAll(Enumerable.Range(0, _partitions.Length).Select(p => Send(p, action)));

    /// <summary>Registers a caller that is about to enqueue; throws once the silo stopped taking messages.</summary>
    private void Enter()
    {
        Interlocked.Increment(ref _callers);
        if (_accepting) return;
        Interlocked.Decrement(ref _callers);
        throw new ObjectDisposedException(nameof(EmbeddedSilo), "The silo is shutting down and takes no more messages.");
    }
}
