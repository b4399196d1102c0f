using Azure.Data.Tables;
using MicroMoment.Gateway.Telemetry;
using MicroMoment.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Storage;
using OpenTelemetry.Resources;

namespace MicroMoment.Cli.Cluster;

/// <summary>Applies <see cref="ClusterSettings"/> and <see cref="StorageSettings"/> to an Orleans silo or client.</summary>
public static class ClusterHosting
{
    /// <summary>Clustering, endpoints and membership timing of a silo.</summary>
    /// <exception cref="ArgumentException">A setting is wrong (the message names it).</exception>
    public static ISiloBuilder UseMicroMomentClustering(this ISiloBuilder silo, ClusterSettings cluster, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(configuration);
        switch (cluster.ProviderName)
        {
            case ClusterSettings.LocalhostProvider:
                var primary = cluster.PrimarySilo is { } p ? ClusterSettings.Endpoint(p, "Cluster:PrimarySilo") : null;
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, primary, cluster.ServiceId, cluster.ClusterId);
                break;
            case ClusterSettings.AzureProvider:
                string connection = cluster.ConnectionString!;
                silo.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(connection));
                ConfigureEndpoints(silo, cluster);
                break;
            case ClusterSettings.RedisProvider:
                silo.UseRedisClustering(o => o.ConfigurationOptions = RedisConnection.Options(cluster.ConnectionString, "Cluster:ConnectionString"));
                ConfigureEndpoints(silo, cluster);
                break;
        }

        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        silo.Services.Configure<ClusterMembershipOptions>(configuration.GetSection(ClusterConfiguration.MembershipSection));
        if (cluster.Kubernetes) silo.UseKubernetesHosting();
        return silo;
    }

    /// <summary>
    /// Registers the grain storage named <see cref="MicroMomentSiloExtensions.GrainStorageName"/> for the "azure" and
    /// "redis" providers and returns true; false for "sqlite" and "memory" (<see cref="MicroMomentSiloExtensions.AddMicroMomentSilo"/>
    /// registers those from <see cref="Silo.SiloOptions.DataDirectory"/>).
    /// </summary>
    public static bool AddMicroMomentStorage(this ISiloBuilder silo, StorageSettings storage, ClusterSettings cluster)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(cluster);
        string? connection = storage.EffectiveConnectionString(cluster);
        // Grain state in Orleans' binary format (what the SQLite store holds), and erasure deletes the record.
        switch (storage.ProviderName)
        {
            case StorageSettings.AzureProvider:
                silo.AddAzureTableGrainStorage(MicroMomentSiloExtensions.GrainStorageName, options => options.Configure<OrleansGrainStorageSerializer>((o, serializer) =>
                {
                    o.TableServiceClient = new TableServiceClient(connection);
                    o.TableName = storage.TableName;
                    o.GrainStorageSerializer = serializer;
                    o.DeleteStateOnClear = true;
                }));
                return true;
            case StorageSettings.RedisProvider:
                // No EntryExpiry: a shopper's state stays until erased (an expired record is a shopper's state lost; docs/cluster.md).
                silo.AddRedisGrainStorage(MicroMomentSiloExtensions.GrainStorageName, options => options.Configure<OrleansGrainStorageSerializer>((o, serializer) =>
                {
                    o.ConfigurationOptions = RedisConnection.Options(connection, "Storage:ConnectionString");
                    o.GrainStorageSerializer = serializer;
                    o.DeleteStateOnClear = true;
                }));
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Clustering of an Orleans client (the gateway): the membership table names the silos' gateways ("azure", "redis"), or the
    /// configured list does ("localhost"). The client keeps retrying while no silo answers, at start and after losing
    /// every gateway.
    /// </summary>
    public static IClientBuilder UseMicroMomentClustering(this IClientBuilder client, ClusterSettings cluster)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(cluster);
        switch (cluster.ProviderName)
        {
            case ClusterSettings.LocalhostProvider:
                var gateways = cluster.Gateways.Length > 0
                    ? cluster.Gateways.Select((g, i) => ClusterSettings.Endpoint(g, $"Cluster:Gateways:{i}")).ToArray()
                    : [new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, cluster.GatewayPort)];
                client.UseStaticClustering(gateways);
                break;
            case ClusterSettings.AzureProvider:
                string connection = cluster.ConnectionString!;
                client.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(connection));
                break;
            case ClusterSettings.RedisProvider:
                client.UseRedisClustering(o => o.ConfigurationOptions = RedisConnection.Options(cluster.ConnectionString, "Cluster:ConnectionString"));
                break;
        }

        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.ClusterId;
            o.ServiceId = cluster.ServiceId;
        });
        client.UseConnectionRetryFilter(async (_, cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            return true;
        });
        return client;
    }

    /// <summary>The ports a silo opens and the address it advertises, for the providers whose membership spans machines.</summary>
    private static void ConfigureEndpoints(ISiloBuilder silo, ClusterSettings cluster)
    {
        var advertised = cluster.ResolveAdvertisedAddress();
        silo.Configure<EndpointOptions>(o =>
        {
            o.SiloPort = cluster.SiloPort;
            o.GatewayPort = cluster.GatewayPort;
            if (advertised is not null) o.AdvertisedIPAddress = advertised;
        });
    }

    /// <summary>The resource attribute that names which process of the cluster made a span or a metric ("silo" or "gateway").</summary>
    public const string RoleAttribute = "micromoment.role";

    /// <summary>
    /// Tracing of a silo or gateway process, as <c>serve</c> sets it up (<see cref="TracingServiceCollectionExtensions.AddMicroMomentTracing"/>):
    /// the ratio from <paramref name="telemetry"/>, the collector from the <c>OTEL_EXPORTER_OTLP_*</c> variables, and the
    /// process's <paramref name="role"/> as the <see cref="RoleAttribute"/> resource attribute. Returns whether tracing
    /// is on; then the process's Orleans silo or client must add activity propagation, so one trace follows an event
    /// from the gateway's request into the silo's grains.
    /// </summary>
    /// <exception cref="ArgumentException">The ratio is not from 0 to 1.</exception>
    public static bool AddMicroMomentProcessTracing(this IServiceCollection services, TelemetrySettings telemetry, string role)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentException.ThrowIfNullOrWhiteSpace(role);
        bool on = services.AddMicroMomentTracing(telemetry.Tracing());
        if (on) services.AddOpenTelemetry().ConfigureResource(resource => resource.AddAttributes([new(RoleAttribute, role)]));
        return on;
    }
}
