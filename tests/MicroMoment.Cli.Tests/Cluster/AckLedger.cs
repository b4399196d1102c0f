namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>What the gateway acknowledged (accepted or duplicate), per shopper and when; thread-safe.</summary>
internal sealed class AckLedger
{
    private readonly Dictionary<string, List<double>> _perUser = new(StringComparer.Ordinal);
    private readonly List<double> _times = [];
    private int _resent;

    /// <summary>Events acknowledged so far.</summary>
    public int Count
    {
        get
        {
            lock (_perUser) return _times.Count;
        }
    }

    /// <summary>Events resent because they were not acknowledged.</summary>
    public int Resent => Volatile.Read(ref _resent);

    /// <summary>A copy of the acknowledged events per shopper.</summary>
    public Dictionary<string, int> PerUser
    {
        get
        {
            lock (_perUser) return _perUser.ToDictionary(p => p.Key, p => p.Value.Count, StringComparer.Ordinal);
        }
    }

    /// <summary>A copy of each shopper's acknowledgement times (stopwatch seconds), in the order they were acknowledged.</summary>
    public Dictionary<string, List<double>> PerUserTimes
    {
        get
        {
            lock (_perUser) return _perUser.ToDictionary(p => p.Key, p => new List<double>(p.Value), StringComparer.Ordinal);
        }
    }

    /// <summary>A copy of the acknowledgement times (stopwatch seconds), sorted.</summary>
    public List<double> Times
    {
        get
        {
            lock (_perUser) return [.. _times.Order()];
        }
    }

    public void Acknowledge(string user, double at)
    {
        lock (_perUser)
        {
            if (!_perUser.TryGetValue(user, out var times)) _perUser[user] = times = [];
            times.Add(at);
            _times.Add(at);
        }
    }

    public void Resend(int n) => Interlocked.Add(ref _resent, n);
}
