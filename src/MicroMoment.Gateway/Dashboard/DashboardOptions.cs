namespace MicroMoment.Gateway.Dashboard;

/// <summary>Settings of the operator dashboard (/dashboard), bound from "Gateway:Dashboard".</summary>
public sealed class DashboardOptions
{
    /// <summary>How often the dashboard samples the silo and pushes a snapshot to every watcher.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Snapshots kept for the charts (at the default interval, five minutes).</summary>
    public int HistoryLength { get; set; } = 300;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the setting that is wrong and what is expected.</summary>
    public void Validate()
    {
        if (RefreshInterval < TimeSpan.FromMilliseconds(100) || RefreshInterval > TimeSpan.FromMinutes(1))
            throw new ArgumentOutOfRangeException(nameof(RefreshInterval), RefreshInterval, $"Dashboard RefreshInterval must be between 100 ms and 1 minute; got {RefreshInterval}.");
        if (HistoryLength < 2 || HistoryLength > 10_000)
            throw new ArgumentOutOfRangeException(nameof(HistoryLength), HistoryLength, $"Dashboard HistoryLength must be between 2 and 10000 snapshots; got {HistoryLength}.");
    }
}
