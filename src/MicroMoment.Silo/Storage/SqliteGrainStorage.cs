using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace MicroMoment.Silo.Storage;

/// <summary>
/// Orleans grain storage in one SQLite file (WAL mode) with group commit: every <see cref="WriteStateAsync{T}(string, GrainId, IGrainState{T})"/>
/// and <see cref="ClearStateAsync{T}(string, GrainId, IGrainState{T})"/> is queued to a single writer loop that commits
/// everything queued (up to <see cref="SqliteGrainStorageOptions.MaxBatch"/>) in one transaction, and the caller's
/// task completes only after that commit. Reads run concurrently on a small pool of read-only connections.
/// Opening takes an exclusive lock on the data directory and refuses a damaged or foreign file; clears are erased
/// with <c>secure_delete</c> and checkpointed out of the write-ahead log; closing drains the queue, checkpoints and
/// releases the lock. ETags are the row's version numbers, unique across the file, so a stale ETag never matches.
/// </summary>
public sealed partial class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable, IDisposable
{
    private const int Created = 0, Opened = 1, Closing = 2, Closed = 3;

    private readonly string _name;
    private readonly SqliteGrainStorageOptions _options;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activators;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly int _format;
    private readonly string _directory;
    private readonly Lock _gate = new();
    private readonly Channel<WriteOperation> _queue;
    private readonly ConcurrentQueue<WriteOperation> _pool = new();
    private readonly Stack<ReadConnection> _readers = new();
    private readonly SemaphoreSlim _readSlots;
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private StorageFileLock? _directoryLock;
    private int _state;
    private int _pooled;

    /// <summary>Creates the storage (closed: it opens at silo start, or by <see cref="Open"/>).</summary>
    /// <param name="name">The provider name grains use in <c>[PersistentState(..., name)]</c>.</param>
    /// <param name="options">The options; validated here.</param>
    /// <param name="activatorProvider">Creates empty states for grains with no stored state.</param>
    /// <param name="logger">The log.</param>
    /// <param name="timeProvider">The clock for each row's <c>updated_at</c>; the system clock when null.</param>
    /// <exception cref="OrleansConfigurationException">An option is invalid; the message names it.</exception>
    public SqliteGrainStorage(
        string name,
        SqliteGrainStorageOptions options,
        IActivatorProvider activatorProvider,
        ILogger<SqliteGrainStorage> logger,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        SqliteGrainStorageOptionsValidator.Validate(options, name);
        _name = name;
        _options = options;
        _serializer = options.GrainStorageSerializer;
        _activators = activatorProvider ?? throw new ArgumentNullException(nameof(activatorProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = timeProvider ?? TimeProvider.System;
        _format = SqliteGrainStorageOptionsValidator.EffectiveFormat(options);
        _directory = Path.GetFullPath(options.DataDirectory);
        FilePath = Path.Combine(_directory, options.FileName);
        LockFilePath = FilePath + ".lock";
        _queue = Channel.CreateUnbounded<WriteOperation>(new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });
        _readSlots = new SemaphoreSlim(options.ReadConnections, options.ReadConnections);
        _batch = new WriteOperation[options.MaxBatch];
    }

    /// <summary>The provider name.</summary>
    public string Name => _name;

    /// <summary>The state file (full path).</summary>
    public string FilePath { get; }

    /// <summary>The lock file held while the storage is open.</summary>
    public string LockFilePath { get; }

    /// <summary>The format number written with every state (see <see cref="SqliteGrainStorageOptions.StateFormat"/>).</summary>
    public int StateFormat => _format;

    /// <summary>Transactions committed by the writer loop since the storage opened.</summary>
    public long CommittedBatches => Interlocked.Read(ref _committedBatches);

    /// <summary>Writes and clears committed since the storage opened (conflicts and failures not counted).</summary>
    public long CommittedWrites => Interlocked.Read(ref _committedWrites);

    /// <summary>Whether the storage is open.</summary>
    public bool IsOpen => Volatile.Read(ref _state) == Opened;

    /// <inheritdoc/>
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(
            $"{nameof(SqliteGrainStorage)}-{_name}",
            _options.InitStage,
            _ =>
            {
                Open();
                return Task.CompletedTask;
            },
            CloseAsync);

    /// <summary>
    /// Opens the storage: creates the directory, locks it, creates the file if missing or verifies the existing one,
    /// and starts the writer loop. Does nothing when already open.
    /// </summary>
    /// <exception cref="SqliteGrainStorageException">The directory is locked by another process or storage, or the file is damaged or foreign.</exception>
    public void Open()
    {
        lock (_gate)
        {
            if (_state == Opened)
            {
                return;
            }

            if (_state != Created)
            {
                throw new ObjectDisposedException(nameof(SqliteGrainStorage), $"Grain storage '{_name}' was closed; a closed storage does not reopen (create a new one).");
            }

            var elapsed = Stopwatch.StartNew();
            Directory.CreateDirectory(_directory);
            var directoryLock = StorageFileLock.Acquire(_directory, LockFilePath);
            try
            {
                bool created = SqliteStorageFile.CreateIfMissing(FilePath);
                SqliteStorageFile.CheckHeader(FilePath);
                long checkedStates = created ? 0 : SqliteStorageFile.Verify(FilePath, _options.OpenCheck);
                OpenWriter();
                for (int i = 0; i < _options.ReadConnections; i++)
                {
                    _readers.Push(new ReadConnection(FilePath));
                }

                StartWriterLoop();
                _directoryLock = directoryLock;
                _state = Opened;
                LogOpened(_name, FilePath, created, _options.OpenCheck, checkedStates, elapsed.Elapsed.TotalMilliseconds);
            }
            catch
            {
                DisposeConnections();
                directoryLock.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// Closes the storage: lets the writer loop commit everything queued, waits for running reads, checkpoints the
    /// write-ahead log into the file (truncating it), closes the connections and releases the directory lock.
    /// </summary>
    /// <param name="cancellationToken">Not used to cut the drain short: queued writes were promised a commit.</param>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        bool closer = false;
        lock (_gate)
        {
            if (_state == Created)
            {
                _state = Closed;
                _closed.TrySetResult();
                return;
            }

            if (_state == Opened)
            {
                _state = Closing;
                _queue.Writer.TryComplete();
                closer = true;
            }
        }

        if (!closer)
        {
            await _closed.Task.ConfigureAwait(false);
            return;
        }

        await _writerDone!.Task.ConfigureAwait(false);
        Volatile.Write(ref _state, Closed);
        for (int i = 0; i < _options.ReadConnections; i++)
        {
            await _readSlots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        Checkpoint(final: true);
        DisposeConnections();
        _directoryLock?.Dispose();
        _directoryLock = null;
        _readSlots.Release(_options.ReadConnections);
        LogClosed(_name, FilePath);
        _closed.TrySetResult();
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => new(CloseAsync());

    /// <inheritdoc/>
    public void Dispose() => CloseAsync().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        string grainType = grainId.Type.ToString()!, grainKey = grainId.Key.ToString()!;
        StoredState? row = await ReadRowAsync(grainType, grainKey, stateName).ConfigureAwait(false);
        if (row is not { } stored)
        {
            grainState.State = CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        if (stored.Format != _format)
        {
            throw new SqliteGrainStorageException(
                $"State '{stateName}' of grain {grainType}/{grainKey} in '{FilePath}' was written in format {stored.Format}, but grain storage '{_name}' is configured for format {_format}; " +
                "configure the serializer (and StateFormat) that wrote it.");
        }

        if (SqliteStorageFile.Checksum(stored.Bytes) != stored.Checksum)
        {
            throw new SqliteGrainStorageException(
                $"State '{stateName}' of grain {grainType}/{grainKey} in '{FilePath}' does not match its checksum: the file was damaged on disk. " +
                "Stop the silo, move the file aside and restore the latest backup.");
        }

        T? state = _serializer.Deserialize<T>(new BinaryData(stored.Bytes));
        grainState.State = state ?? CreateInstance<T>();
        grainState.ETag = stored.Version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = state is not null;
    }

    /// <inheritdoc/>
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        ThrowIfNotOpen();
        string grainType = grainId.Type.ToString()!, grainKey = grainId.Key.ToString()!;
        long expected = await ExpectedVersionAsync(grainType, grainKey, stateName, grainState.ETag, "write").ConfigureAwait(false);
        ReadOnlyMemory<byte> serialized = _serializer.Serialize(grainState.State).ToMemory();
        byte[] bytes = MemoryMarshal.TryGetArray(serialized, out ArraySegment<byte> segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : serialized.ToArray();
        long rowBytes = bytes.LongLength + 3L * (grainType.Length + grainKey.Length + stateName.Length) + 64;
        if (rowBytes > _maxRowBytes)
        {
            throw new SqliteGrainStorageException(
                $"State '{stateName}' of grain {grainType}/{grainKey} serializes to {bytes.Length:N0} bytes, more than SQLite stores in one row ({_maxRowBytes:N0} bytes); nothing was written.");
        }

        var operation = Rent();
        operation.GrainType = grainType;
        operation.GrainKey = grainKey;
        operation.StateName = stateName;
        operation.ExpectedVersion = expected;
        operation.State = bytes;
        operation.StateLength = bytes.Length;
        operation.Checksum = SqliteStorageFile.Checksum(bytes);
        long version = await RunAsync(operation).ConfigureAwait(false);
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    /// <inheritdoc/>
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        ArgumentNullException.ThrowIfNull(grainState);
        ThrowIfNotOpen();
        string grainType = grainId.Type.ToString()!, grainKey = grainId.Key.ToString()!;
        long expected = await ExpectedVersionAsync(grainType, grainKey, stateName, grainState.ETag, "clear").ConfigureAwait(false);
        var operation = Rent();
        operation.GrainType = grainType;
        operation.GrainKey = grainKey;
        operation.StateName = stateName;
        operation.ExpectedVersion = expected;
        operation.IsClear = true;
        await RunAsync(operation).ConfigureAwait(false);
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = CreateInstance<T>();
    }

    /// <summary>Queues <paramref name="operation"/> and waits for the commit of the batch that holds it.</summary>
    private async ValueTask<long> RunAsync(WriteOperation operation)
    {
        if (!_queue.Writer.TryWrite(operation))
        {
            Return(operation);
            throw NotOpen();
        }

        try
        {
            return await new ValueTask<long>(operation, operation.Token).ConfigureAwait(false);
        }
        finally
        {
            Return(operation);
        }
    }

    /// <summary>The version an ETag names: 0 for none; a foreign ETag is a conflict with what is stored.</summary>
    private async ValueTask<long> ExpectedVersionAsync(string grainType, string grainKey, string stateName, string? etag, string operation)
    {
        if (string.IsNullOrEmpty(etag))
        {
            return 0;
        }

        if (long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out long version) && version > 0)
        {
            return version;
        }

        StoredState? stored = await ReadRowAsync(grainType, grainKey, stateName).ConfigureAwait(false);
        string? storedEtag = stored?.Version.ToString(CultureInfo.InvariantCulture);
        throw new InconsistentStateException(
            $"Version conflict ({operation}) on state '{stateName}' of grain {grainType}/{grainKey} in grain storage '{_name}': the grain's ETag '{etag}' was not issued by this storage " +
            $"(stored ETag: {storedEtag ?? "none, no stored state"}). Reactivate the grain to read the stored state.",
            storedEtag,
            etag);
    }

    private async ValueTask<StoredState?> ReadRowAsync(string grainType, string grainKey, string stateName)
    {
        ThrowIfNotOpen();
        if (!_readSlots.Wait(0))
        {
            await _readSlots.WaitAsync().ConfigureAwait(false);
        }

        ReadConnection? connection = null;
        try
        {
            lock (_readers)
            {
                if (Volatile.Read(ref _state) == Closed || !_readers.TryPop(out connection))
                {
                    throw NotOpen();
                }
            }

            return connection.Read(grainType, grainKey, stateName);
        }
        catch (Microsoft.Data.Sqlite.SqliteException ex)
        {
            throw new SqliteGrainStorageException($"Reading state '{stateName}' of grain {grainType}/{grainKey} from '{FilePath}' failed: {ex.Message}", ex);
        }
        finally
        {
            if (connection is not null)
            {
                lock (_readers)
                {
                    _readers.Push(connection);
                }
            }

            _readSlots.Release();
        }
    }

    private T CreateInstance<T>() => _activators.GetActivator<T>().Create();

    private WriteOperation Rent()
    {
        if (_pool.TryDequeue(out var operation))
        {
            Interlocked.Decrement(ref _pooled);
            return operation;
        }

        return new WriteOperation();
    }

    private void Return(WriteOperation operation)
    {
        operation.Reset();
        if (Interlocked.Increment(ref _pooled) <= _batch.Length)
        {
            _pool.Enqueue(operation);
        }
        else
        {
            Interlocked.Decrement(ref _pooled);
        }
    }

    private void ThrowIfNotOpen()
    {
        if (Volatile.Read(ref _state) != Opened)
        {
            throw NotOpen();
        }
    }

    private SqliteGrainStorageException NotOpen() => Volatile.Read(ref _state) == Created
        ? new($"Grain storage '{_name}' ('{FilePath}') is not open yet: it opens at silo start (lifecycle stage {_options.InitStage}) or by Open().")
        : new($"Grain storage '{_name}' ('{FilePath}') is closed (the silo is stopping); the state was not written.");
}
