using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MicroMoment.Grains;

/// <summary>
/// The shoppers whose offers one <see cref="IOfferObserver"/> receives. A shopper's user grain is told when the first
/// watcher of that shopper asks and again when the last one leaves (watches are counted), and every watch is renewed
/// each <see cref="OfferWatch.RenewEvery"/> so it outlives <see cref="OfferWatch.Lifetime"/> and is made again after
/// the shopper's trigger grain left memory. Thread-safe.
/// </summary>
public sealed class OfferWatches : IAsyncDisposable
{
    /// <summary>Most renewals in flight at once.</summary>
    private const int RenewalsAtOnce = 256;

    private readonly IGrainFactory _grains;
    private readonly IOfferObserver _observer;
    private readonly ILogger _log;
    private readonly Dictionary<string, ShopperWatch> _watched = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewals;
    private long _renewed;
    private int _disposed;

    /// <summary>Watches for <paramref name="observer"/> and starts renewing every <see cref="OfferWatch.RenewEvery"/> by <paramref name="time"/>.</summary>
    /// <param name="grains">Calls the user grains.</param>
    /// <param name="observer">The observer reference (<c>CreateObjectReference</c>); the caller keeps the observer object alive.</param>
    /// <param name="time">The clock the renewals follow (null: the system clock).</param>
    /// <param name="log">Logs each renewal that failed (it is retried at the next round); null: not logged.</param>
    public OfferWatches(IGrainFactory grains, IOfferObserver observer, TimeProvider? time = null, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(observer);
        _grains = grains;
        _observer = observer;
        _log = log ?? NullLogger.Instance;
        _renewals = RenewAsync(time ?? TimeProvider.System, _stop.Token);
    }

    /// <summary>Shoppers watched now.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _watched.Count;
        }
    }

    /// <summary>Renewals the grains answered so far (one per watched shopper per round).</summary>
    public long Renewals => Interlocked.Read(ref _renewed);

    /// <summary>True while someone watches the shopper keyed <paramref name="key"/>.</summary>
    public bool IsWatched(string key)
    {
        lock (_gate) return _watched.ContainsKey(key);
    }

    /// <summary>
    /// Adds a watcher of the shopper keyed <paramref name="key"/> (<see cref="GrainKeys.Of"/>); the first one has their
    /// user grain push their offers to the observer. Returns once the grain took the watch: a nested watch of a shopper
    /// whose first watch is still on its way waits for it too, and one whose first watch failed asks again.
    /// </summary>
    /// <remarks>When that call fails the watcher still counts, and the next renewal round tries again.</remarks>
    public async ValueTask WatchAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        Task landed;
        lock (_gate)
        {
            if (!_watched.TryGetValue(key, out var watch)) _watched[key] = watch = new ShopperWatch();
            watch.Count++;
            if (watch.Count == 1 || watch.Landed.IsFaulted || watch.Landed.IsCanceled) watch.Landed = WatchOffersAsync(key);
            landed = watch.Landed;
        }

        await landed.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Removes a watcher of the shopper keyed <paramref name="key"/>; when it was the last, their grain stops pushing to the observer.</summary>
    public async ValueTask UnwatchAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (!_watched.TryGetValue(key, out var watch)) return;
            if (--watch.Count > 0) return;
            _watched.Remove(key);
        }

        await _grains.GetGrain<IUserGrain>(key).UnwatchOffersAsync(_observer).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks the shopper's grains to push their offers to the observer (the call runs on its own, outside the lock).</summary>
    private async Task WatchOffersAsync(string key)
    {
        await Task.Yield();
        await _grains.GetGrain<IUserGrain>(key).WatchOffersAsync(_observer).ConfigureAwait(false);
    }

    /// <summary>Stops renewing (the grains drop the watches once their lifetime ends); the grains are not called.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _renewals.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task RenewAsync(TimeProvider time, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(OfferWatch.RenewEvery, time);
        var round = new List<Task>(RenewalsAtOnce);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                string[] keys;
                lock (_gate) keys = [.. _watched.Keys];
                foreach (var key in keys)
                {
                    round.Add(RenewOneAsync(key));
                    if (round.Count < RenewalsAtOnce) continue;
                    await Task.WhenAll(round).ConfigureAwait(false);
                    round.Clear();
                }

                await Task.WhenAll(round).ConfigureAwait(false);
                round.Clear();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RenewOneAsync(string key)
    {
        try
        {
            await _grains.GetGrain<IUserGrain>(key).WatchOffersAsync(_observer).ConfigureAwait(false);
            Interlocked.Increment(ref _renewed);
        }
        catch (Exception ex)
        {
            OfferWatchLog.RenewalFailed(_log, key.Replace('\n', '/'), ex.Message, OfferWatch.RenewEvery.TotalSeconds);
        }
    }

    /// <summary>The watches of one shopper: how many are open, and the grain call that put the first in place.</summary>
    private sealed class ShopperWatch
    {
        public int Count;
        public Task Landed = Task.CompletedTask;
    }
}
