using System.Threading.Channels;
using MicroMoment.Silo;

namespace MicroMoment.Client.Orleans;

/// <summary>
/// One watch of a shopper's offers (<see cref="MicroMomentOrleansClient.WatchOffersAsync(string, CancellationToken)"/>):
/// the shopper's trigger grain pushes each offer it fires while the subscription lives, wherever the grain runs. An offer
/// may arrive before or after the answer to the event that fired it (which carries it too, in its decision). Dispose to
/// stop watching.
/// </summary>
public sealed class OfferSubscription : IAsyncDisposable
{
    private readonly MicroMomentOrleansClient _owner;
    private readonly Action<Offer>? _onOffer;
    private readonly Channel<Offer>? _offers;
    private long _dropped;
    private int _disposed;

    internal OfferSubscription(MicroMomentOrleansClient owner, string key, string userId, Action<Offer>? onOffer, int capacity)
    {
        _owner = owner;
        Key = key;
        UserId = userId;
        _onOffer = onOffer;
        if (onOffer is null)
        {
            _offers = Channel.CreateBounded<Offer>(
                new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = false, SingleWriter = false },
                _ => Interlocked.Increment(ref _dropped));
        }
    }

    /// <summary>The shopper watched.</summary>
    public string UserId { get; }

    /// <summary>Offers dropped because the reader fell <see cref="MicroMomentOrleansOptions.OfferBufferCapacity"/> offers behind (the oldest go first).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The grain key of the shopper.</summary>
    internal string Key { get; }

    /// <summary>
    /// The offers as they are pushed, until the subscription is disposed (the enumeration then ends) or
    /// <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    /// <exception cref="InvalidOperationException">The subscription hands its offers to a callback instead.</exception>
    public IAsyncEnumerable<Offer> ReadOffersAsync(CancellationToken cancellationToken = default) =>
        (_offers ?? throw new InvalidOperationException($"The offer subscription of '{UserId}' hands its offers to the callback it was made with; watch without a callback to read them.")).Reader.ReadAllAsync(cancellationToken);

    /// <summary>Takes the next pushed offer if one is waiting.</summary>
    /// <exception cref="InvalidOperationException">The subscription hands its offers to a callback instead.</exception>
    public bool TryRead(out Offer offer)
    {
        if (_offers is null) throw new InvalidOperationException($"The offer subscription of '{UserId}' hands its offers to the callback it was made with; watch without a callback to read them.");
        return _offers.Reader.TryRead(out offer!);
    }

    /// <summary>Stops watching (the shopper's grain is told once no other subscription of this client watches them) and ends the reading.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            await _owner.RemoveAsync(this).ConfigureAwait(false);
        }
        finally
        {
            Complete();
        }
    }

    /// <summary>Hands an offer to the callback or the reader; a throwing callback is reported by the caller.</summary>
    internal void Deliver(Offer offer)
    {
        if (Volatile.Read(ref _disposed) != 0) return;
        if (_onOffer is not null) _onOffer(offer);
        else _offers!.Writer.TryWrite(offer);
    }

    /// <summary>Ends the reading (the client was disposed).</summary>
    internal void Complete() => _offers?.Writer.TryComplete();
}
