namespace MicroMoment.Gateway.Streaming;

/// <summary>The most recent offer ids a connection delivered; a publishable-key connection may only give feedback on these.</summary>
internal sealed class DeliveredOffers(int capacity)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>Remembers an id, forgetting the oldest beyond the capacity.</summary>
    public void Add(string id)
    {
        lock (_gate)
        {
            if (!_ids.Add(id)) return;
            _order.Enqueue(id);
            if (_order.Count > capacity) _ids.Remove(_order.Dequeue());
        }
    }

    /// <summary>True when the id was delivered (and not yet forgotten).</summary>
    public bool Contains(string id)
    {
        lock (_gate) return _ids.Contains(id);
    }
}
