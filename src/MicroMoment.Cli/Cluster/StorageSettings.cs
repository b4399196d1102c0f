namespace MicroMoment.Cli.Cluster;

/// <summary>The "Storage" configuration section of <c>micromoment silo</c>: where grain state (shoppers' sessions, triggers, experiment counts) is kept.</summary>
public sealed class StorageSettings
{
    /// <summary>The section's name.</summary>
    public const string SectionName = "Storage";

    /// <summary>SQLite under <see cref="DataDirectory"/>: one silo on one machine (state does not follow a grain to another machine).</summary>
    public const string SqliteProvider = "sqlite";

    /// <summary>Azure Storage tables (Azure, or Azurite locally): shared by every silo of the cluster.</summary>
    public const string AzureProvider = "azure";

    /// <summary>No storage: state lives only while a grain is active (lost when its silo stops).</summary>
    public const string MemoryProvider = "memory";

    /// <summary>The storage providers this build knows.</summary>
    public static readonly IReadOnlyList<string> Providers = [SqliteProvider, AzureProvider, MemoryProvider];

    /// <summary>"sqlite" (default), "azure" or "memory".</summary>
    public string Provider { get; set; } = SqliteProvider;

    /// <summary>"azure": the Azure Storage connection string (default: Cluster:ConnectionString).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>"azure": the table grain state goes to. Default OrleansGrainState.</summary>
    public string TableName { get; set; } = "OrleansGrainState";

    /// <summary>"sqlite": the folder of the state file (locked while the silo runs). Default "data".</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The provider, trimmed and lower case.</summary>
    public string ProviderName => (Provider ?? "").Trim().ToLowerInvariant();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is wrong and what is expected.</summary>
    public void Validate(ClusterSettings cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (!Providers.Contains(ProviderName))
            throw new ArgumentException($"Storage:Provider is '{Provider}'; expected one of {string.Join(", ", Providers)}.");
        if (ProviderName == AzureProvider && string.IsNullOrWhiteSpace(ConnectionString ?? cluster.ConnectionString))
            throw new ArgumentException("Storage:Provider is azure but neither Storage:ConnectionString nor Cluster:ConnectionString is set; expected an Azure Storage connection string.");
        if (ProviderName == AzureProvider && string.IsNullOrWhiteSpace(TableName))
            throw new ArgumentException("Storage:TableName is blank; expected an Azure table name (default OrleansGrainState).");
        if (ProviderName == SqliteProvider && string.IsNullOrWhiteSpace(DataDirectory))
            throw new ArgumentException("Storage:DataDirectory is blank; expected the folder of the SQLite state.");
        if (ProviderName == SqliteProvider && cluster.ProviderName != ClusterSettings.LocalhostProvider)
        {
            throw new ArgumentException(
                $"Storage:Provider is sqlite with Cluster:Provider {cluster.ProviderName}: SQLite state stays on one machine while grains move between silos, so a shopper's state would be lost; expected Storage:Provider azure (shared by every silo).");
        }
    }

    /// <summary>The connection string in effect ("azure").</summary>
    public string? EffectiveConnectionString(ClusterSettings cluster) => string.IsNullOrWhiteSpace(ConnectionString) ? cluster.ConnectionString : ConnectionString;
}
