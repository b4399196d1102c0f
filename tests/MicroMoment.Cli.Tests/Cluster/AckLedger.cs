namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>What the gateway acknowledged (accepted or duplicate), per shopper and when; thread-safe.</summary>
internal sealed class AckLedger
{
    private readonly Dictionary<string, int> _perUser = new(StringComparer.Ordinal);
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
            lock (_perUser) return new Dictionary<string, int>(_perUser, StringComparer.Ordinal);
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
            _perUser[user] = _perUser.GetValueOrDefault(user) + 1;
            _times.Add(at);
        }
    }

    public void Resend(int n) => Interlocked.Add(ref _resent, n);
}
