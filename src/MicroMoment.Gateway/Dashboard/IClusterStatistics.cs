namespace MicroMoment.Gateway.Dashboard;

/// <summary>
/// What the dashboard reads from Orleans about the cluster: every silo's membership status and runtime statistics, the
/// activations per grain type per silo, and where a shopper's grain is active. Registered by the host (see
/// <see cref="DashboardServiceCollectionExtensions.AddOrleansClusterStatistics(IServiceCollection, Silo.EmbeddedSilo)"/>);
/// without it the Grains and Silos pages show only the gateway's own numbers and say so.
/// </summary>
public interface IClusterStatistics
{
    /// <summary>The parsable address of the silo running in this process, or null when the gateway is only a client of the cluster.</summary>
    string? LocalSilo { get; }

    /// <summary>Asks the cluster now (one management call per silo, so one silo that does not answer leaves the others' numbers).</summary>
    Task<ClusterReport> GetAsync(CancellationToken cancellationToken = default);

    /// <summary>The parsable address of the silo where the shopper's user grain is active, or null when it is not in memory.</summary>
    Task<string?> LocateAsync(string tenant, string userId, CancellationToken cancellationToken = default);
}
