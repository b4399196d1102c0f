using MicroMoment.Cli.Cluster;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// An Orleans client of a test cluster, configured like its processes (the <c>MICROMOMENT__</c> variables read through
/// <see cref="ClusterConfiguration"/>, so any membership provider the product supports), that asks Orleans' management
/// grain which silo hosts which user grain.
/// </summary>
internal sealed class ClusterInspector : IAsyncDisposable
{
    private readonly IHost _host;

    private ClusterInspector(IHost host) => _host = host;

    /// <summary>Connects to the cluster the <paramref name="environment"/> names; fails if no silo answers within a minute.</summary>
    public static async Task<ClusterInspector> ConnectAsync(IReadOnlyDictionary<string, string> environment)
    {
        var settings = environment
            .Where(p => p.Key.StartsWith(ClusterConfiguration.EnvironmentPrefix, StringComparison.Ordinal))
            .ToDictionary(p => p.Key[ClusterConfiguration.EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal), p => (string?)p.Value);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var cluster = ClusterConfiguration.Cluster(configuration);
        var host = new HostBuilder().UseOrleansClient(client => client.UseMicroMomentClustering(cluster)).Build();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await host.StartAsync(limit.Token);
        return new ClusterInspector(host);
    }

    /// <summary>Where each active user grain lives: the shopper's id (without the tenant) and its silo's silo-to-silo port.</summary>
    public async Task<Dictionary<string, int>> UserGrainSilosAsync()
    {
        var management = _host.Services.GetRequiredService<IClusterClient>().GetGrain<IManagementGrain>(0);
        var statistics = await management.GetDetailedGrainStatistics();
        var hosts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var grain in statistics)
        {
            // The grain class' runtime type name: "MicroMoment.Silo.Grains.UserGrain,MicroMoment.Silo".
            if (!grain.GrainType.Split(',')[0].EndsWith(".UserGrain", StringComparison.Ordinal)) continue;
            string key = grain.GrainId.Key.ToString()!;
            hosts[key[(key.IndexOf('/', StringComparison.Ordinal) + 1)..]] = grain.SiloAddress.Endpoint.Port;
        }

        return hosts;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _host.StopAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
        }

        _host.Dispose();
    }
}
