using MicroMoment.Gateway.Wire;

namespace MicroMoment.Gateway.Ingestion;

/// <summary>
/// The recent tracker signals (dwell, hesitation, scroll) of each shopper, newest last, bounded per shopper and in the
/// number of shoppers (least recently active forgotten first). The model never steps on signals; the trigger policy and
/// the user view read them. Thread-safe.
/// </summary>
internal sealed class SignalStore(int maxPerUser, int maxUsers)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _users = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();

    /// <summary>Shoppers with recorded signals.</summary>
    public int Users
    {
        get
        {
            lock (_gate) return _users.Count;
        }
    }

    /// <summary>Records a signal of a shopper.</summary>
    public void Record(string tenant, string userId, SignalDto signal)
    {
        var key = Key(tenant, userId);
        lock (_gate)
        {
            if (_users.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
            }
            else
            {
                if (_users.Count >= maxUsers && _recency.Last is { } oldest)
                {
                    _recency.RemoveLast();
                    _users.Remove(oldest.Value.Key);
                }
                node = new LinkedListNode<Entry>(new Entry(key));
                _users[key] = node;
            }
            _recency.AddFirst(node);
            var signals = node.Value.Signals;
            if (signals.Count >= maxPerUser) signals.Dequeue();
            signals.Enqueue(signal);
        }
    }

    /// <summary>The shopper's recorded signals, oldest first.</summary>
    public SignalDto[] Recent(string tenant, string userId)
    {
        lock (_gate) return _users.TryGetValue(Key(tenant, userId), out var node) ? [.. node.Value.Signals] : [];
    }

    /// <summary>Forgets the shopper's signals; returns how many there were.</summary>
    public int Erase(string tenant, string userId)
    {
        lock (_gate)
        {
            if (!_users.Remove(Key(tenant, userId), out var node)) return 0;
            _recency.Remove(node);
            return node.Value.Signals.Count;
        }
    }

    private static string Key(string tenant, string userId) => UserKey.Of(tenant, userId);

    private sealed class Entry(string key)
    {
        public string Key { get; } = key;

        public Queue<SignalDto> Signals { get; } = new();
    }
}
