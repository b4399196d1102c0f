namespace MicroMoment.Gateway.Dashboard;

/// <summary>Settings of the operator dashboard (/dashboard), bound from "Gateway:Dashboard".</summary>
public sealed class DashboardOptions
{
    /// <summary>How often the dashboard samples the silo and pushes a snapshot to every watcher.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Snapshots kept for the charts (at the default interval, five minutes).</summary>
    public int HistoryLength { get; set; } = 300;

    /// <summary>How long a dashboard login lasts: an absolute lifetime from the login (not extended by use); logout ends it sooner.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Most dashboard logins held at once; beyond it the oldest session is ended.</summary>
    public int MaxSessions { get; set; } = 1_000;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the setting that is wrong and what is expected.</summary>
    public void Validate()
    {
        if (SessionLifetime < TimeSpan.FromMinutes(1) || SessionLifetime > TimeSpan.FromDays(30))
            throw new ArgumentOutOfRangeException(nameof(SessionLifetime), SessionLifetime, $"Dashboard SessionLifetime must be between 1 minute and 30 days; got {SessionLifetime}.");
        if (MaxSessions < 1 || MaxSessions > 100_000)
            throw new ArgumentOutOfRangeException(nameof(MaxSessions), MaxSessions, $"Dashboard MaxSessions must be between 1 and 100000; got {MaxSessions}.");
        if (RefreshInterval < TimeSpan.FromMilliseconds(100) || RefreshInterval > TimeSpan.FromMinutes(1))
            throw new ArgumentOutOfRangeException(nameof(RefreshInterval), RefreshInterval, $"Dashboard RefreshInterval must be between 100 ms and 1 minute; got {RefreshInterval}.");
        if (HistoryLength < 2 || HistoryLength > 10_000)
            throw new ArgumentOutOfRangeException(nameof(HistoryLength), HistoryLength, $"Dashboard HistoryLength must be between 2 and 10000 snapshots; got {HistoryLength}.");
    }
}
