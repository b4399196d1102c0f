namespace MicroMoment.Cli.Simulation;

/// <summary>The scores after every event that came before its session's first purchase, with the session's index.</summary>
internal sealed class SweepTrace
{
    private int[] _session = new int[1024];
    private float[] _buy = new float[1024];
    private float[] _exit = new float[1024];
    private short[] _cluster = new short[1024];

    /// <summary>Events held.</summary>
    public int Count { get; private set; }

    /// <summary>Session index of each event.</summary>
    public ReadOnlySpan<int> Session => _session.AsSpan(0, Count);

    /// <summary>Buy probability after each event.</summary>
    public ReadOnlySpan<float> Buy => _buy.AsSpan(0, Count);

    /// <summary>Exit probability after each event.</summary>
    public ReadOnlySpan<float> Exit => _exit.AsSpan(0, Count);

    /// <summary>Cluster after each event.</summary>
    public ReadOnlySpan<short> Cluster => _cluster.AsSpan(0, Count);

    /// <summary>Appends one event.</summary>
    public void Add(int session, float buy, float exit, int cluster)
    {
        if (Count == _session.Length)
        {
            int size = checked(Count * 2);
            Array.Resize(ref _session, size);
            Array.Resize(ref _buy, size);
            Array.Resize(ref _exit, size);
            Array.Resize(ref _cluster, size);
        }
        _session[Count] = session;
        _buy[Count] = buy;
        _exit[Count] = exit;
        _cluster[Count] = checked((short)cluster);
        Count++;
    }
}
