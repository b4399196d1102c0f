namespace MicroMoment.Gateway.Dashboard;

/// <summary>What this gateway's host mounted beside the dashboard (set while routes are mapped, read by the page and the login).</summary>
internal sealed class DashboardFeatures
{
    private volatile string? _orleansDashboard;

    /// <summary>Where Orleans' dashboard is mounted (with a trailing slash), or null when it is not.</summary>
    public string? OrleansDashboard
    {
        get => _orleansDashboard;
        set => _orleansDashboard = value;
    }
}
