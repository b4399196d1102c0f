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

    /// <summary>Redis (one hash per grain): shared by every silo of the cluster.</summary>
    public const string RedisProvider = "redis";

    /// <summary>No storage: state lives only while a grain is active (lost when its silo stops).</summary>
    public const string MemoryProvider = "memory";

    /// <summary>The storage providers this build knows.</summary>
    public static readonly IReadOnlyList<string> Providers = [SqliteProvider, AzureProvider, RedisProvider, MemoryProvider];

    /// <summary>"sqlite" (default), "azure", "redis" or "memory".</summary>
    public string Provider { get; set; } = SqliteProvider;

    /// <summary>
    /// "azure": an Azure Storage connection string; "redis": a StackExchange.Redis configuration string. Default:
    /// Cluster:ConnectionString, when membership is in the same kind of store (or "localhost").
    /// </summary>
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
        if (ProviderName is AzureProvider or RedisProvider && string.IsNullOrWhiteSpace(EffectiveConnectionString(cluster)))
        {
            string expected = ProviderName == AzureProvider ? "an Azure Storage connection string" : RedisConnection.Expected;
            throw new ArgumentException(string.IsNullOrWhiteSpace(cluster.ConnectionString)
                ? $"Storage:Provider is {ProviderName} but neither Storage:ConnectionString nor Cluster:ConnectionString is set; expected {expected}."
                : $"Storage:Provider is {ProviderName} but Storage:ConnectionString is not set, and Cluster:ConnectionString is the {cluster.ProviderName} membership's (not a {ProviderName} one); expected {expected} in Storage:ConnectionString.");
        }

        if (ProviderName == RedisProvider) RedisConnection.Options(EffectiveConnectionString(cluster), ConnectionStringSetting);
        if (ProviderName == AzureProvider && string.IsNullOrWhiteSpace(TableName))
            throw new ArgumentException("Storage:TableName is blank; expected an Azure table name (default OrleansGrainState).");
        if (ProviderName == SqliteProvider && string.IsNullOrWhiteSpace(DataDirectory))
            throw new ArgumentException("Storage:DataDirectory is blank; expected the folder of the SQLite state.");
        if (ProviderName == SqliteProvider && cluster.SpansMachines)
        {
            string other = cluster.ProviderName == AzureProvider ? RedisProvider : AzureProvider;
            throw new ArgumentException(
                $"Storage:Provider is sqlite with Cluster:Provider {cluster.ProviderName}: SQLite state stays on one machine while grains move between silos, so a shopper's state would be lost; expected Storage:Provider {cluster.ProviderName} or {other} (shared by every silo).");
        }
    }

    /// <summary>
    /// The connection string in effect ("azure", "redis"): Storage:ConnectionString, else Cluster:ConnectionString when the
    /// membership is in the same kind of store or is "localhost" (an Azure string is no Redis one, and the reverse).
    /// </summary>
    public string? EffectiveConnectionString(ClusterSettings cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (!string.IsNullOrWhiteSpace(ConnectionString)) return ConnectionString;
        return cluster.ProviderName == ProviderName || cluster.ProviderName == ClusterSettings.LocalhostProvider ? cluster.ConnectionString : null;
    }

    private string ConnectionStringSetting => string.IsNullOrWhiteSpace(ConnectionString) ? "Cluster:ConnectionString (the default of Storage:ConnectionString)" : "Storage:ConnectionString";
}
