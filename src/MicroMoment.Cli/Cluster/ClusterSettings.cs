using System.Net;
using MicroMoment.Grains;

namespace MicroMoment.Cli.Cluster;

/// <summary>
/// The "Cluster" configuration section of <c>micromoment silo</c> and <c>micromoment gateway</c>: which cluster to form
/// or join, where its membership lives and which endpoints a silo opens and advertises. Orleans' membership timing is
/// the "Cluster:Membership" section (bound to Orleans' <c>ClusterMembershipOptions</c>).
/// </summary>
public sealed class ClusterSettings
{
    /// <summary>The section's name.</summary>
    public const string SectionName = "Cluster";

    /// <summary>Membership on the first silo of this machine (Orleans' development clustering): for trying a cluster on one machine.</summary>
    public const string LocalhostProvider = "localhost";

    /// <summary>Membership in an Azure Storage table (Azure, or Azurite locally).</summary>
    public const string AzureProvider = "azure";

    /// <summary>Membership in a Redis hash (one Redis server, or a managed Redis).</summary>
    public const string RedisProvider = "redis";

    /// <summary>The membership providers this build knows.</summary>
    public static readonly IReadOnlyList<string> Providers = [LocalhostProvider, AzureProvider, RedisProvider];

    /// <summary>The Orleans cluster id: silos and gateways with the same one form one cluster (one deployment).</summary>
    public string ClusterId { get; set; } = MicroMomentCluster.ClusterId;

    /// <summary>The Orleans service id: stays the same across deployments; grain state is keyed by it.</summary>
    public string ServiceId { get; set; } = MicroMomentCluster.ServiceId;

    /// <summary>Where membership lives: "localhost" (default), "azure" or "redis".</summary>
    public string Provider { get; set; } = LocalhostProvider;

    /// <summary>
    /// The membership store's connection string ("azure": an Azure Storage connection string, <c>UseDevelopmentStorage=true</c>
    /// for Azurite on its default ports; "redis": a StackExchange.Redis configuration string such as <c>127.0.0.1:6379</c>).
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The silo-to-silo port. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The port Orleans clients (gateways, .NET backends) connect to. Default 30000.</summary>
    public int GatewayPort { get; set; } = MicroMomentCluster.DefaultGatewayPort;

    /// <summary>The address other silos and clients reach this silo at (an IP address or a host name resolved at start); default: Orleans' choice ("localhost": 127.0.0.1).</summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>"localhost" only: the silo-to-silo endpoint of the silo that holds membership (host:port); default: this silo is that one.</summary>
    public string? PrimarySilo { get; set; }

    /// <summary>"localhost" only, for gateways: the silos' Orleans gateway endpoints (host:port); default 127.0.0.1:<see cref="GatewayPort"/>.</summary>
    public string[] Gateways { get; set; } = [];

    /// <summary>True in a Kubernetes pod: Orleans' Kubernetes hosting takes the pod's name and IP and watches the pods of the cluster.</summary>
    public bool Kubernetes { get; set; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is wrong and what is expected.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ClusterId)) throw new ArgumentException("Cluster:ClusterId is blank; expected the id of the cluster to form or join (e.g. micromoment-prod).");
        if (string.IsNullOrWhiteSpace(ServiceId)) throw new ArgumentException("Cluster:ServiceId is blank; expected the service's id, stable across deployments (e.g. micromoment).");
        if (!Providers.Contains(ProviderName))
            throw new ArgumentException($"Cluster:Provider is '{Provider}'; expected one of {string.Join(", ", Providers)}.");
        if (ProviderName == AzureProvider && string.IsNullOrWhiteSpace(ConnectionString))
            throw new ArgumentException("Cluster:Provider is azure but Cluster:ConnectionString is empty; expected an Azure Storage connection string (UseDevelopmentStorage=true for Azurite).");
        if (ProviderName == RedisProvider && string.IsNullOrWhiteSpace(ConnectionString))
            throw new ArgumentException($"Cluster:Provider is redis but Cluster:ConnectionString is empty; expected {RedisConnection.Expected}.");
        if (ProviderName == RedisProvider) RedisConnection.Options(ConnectionString, "Cluster:ConnectionString");
        CheckPort(SiloPort, "Cluster:SiloPort");
        CheckPort(GatewayPort, "Cluster:GatewayPort");
        if (AdvertisedAddress is not null && string.IsNullOrWhiteSpace(AdvertisedAddress))
            throw new ArgumentException("Cluster:AdvertisedAddress is blank; expected an IP address or host name, or no value for Orleans' choice.");
        if (PrimarySilo is not null) Endpoint(PrimarySilo, "Cluster:PrimarySilo");
        for (int i = 0; i < Gateways.Length; i++) Endpoint(Gateways[i], $"Cluster:Gateways:{i}");
    }

    /// <summary>The provider, trimmed and lower case.</summary>
    public string ProviderName => (Provider ?? "").Trim().ToLowerInvariant();

    /// <summary>True when membership lives in a store every machine reaches ("azure", "redis"): silos may run on several machines, so grain state must be shared too.</summary>
    public bool SpansMachines => ProviderName is AzureProvider or RedisProvider;

    /// <summary>The advertised address as an IP address (a host name is resolved to its first IPv4 address), or null when not set.</summary>
    /// <exception cref="ArgumentException">The host name does not resolve.</exception>
    public IPAddress? ResolveAdvertisedAddress()
    {
        if (AdvertisedAddress is not { } text) return ProviderName == LocalhostProvider ? IPAddress.Loopback : null;
        if (IPAddress.TryParse(text.Trim(), out var ip)) return ip;
        try
        {
            var addresses = Dns.GetHostAddresses(text.Trim());
            return addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? addresses.First();
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or InvalidOperationException)
        {
            throw new ArgumentException($"Cluster:AdvertisedAddress '{text}' does not resolve ({ex.Message}); expected an IP address or a host name of this machine.", ex);
        }
    }

    /// <summary>Parses a host:port endpoint (the host an IP address or a resolvable name).</summary>
    /// <exception cref="ArgumentException">Not host:port, or the host does not resolve.</exception>
    public static IPEndPoint Endpoint(string text, string setting)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ArgumentException($"{setting} is blank; expected host:port (e.g. 127.0.0.1:30000).");
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65_535)
            throw new ArgumentException($"{setting} is '{text}'; expected host:port with a port of 1 to 65,535 (e.g. 127.0.0.1:30000).");
        string host = text[..colon].Trim('[', ']');
        if (IPAddress.TryParse(host, out var ip)) return new IPEndPoint(ip, port);
        try
        {
            var addresses = Dns.GetHostAddresses(host);
            return new IPEndPoint(addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? addresses.First(), port);
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException or InvalidOperationException)
        {
            throw new ArgumentException($"{setting} is '{text}': host '{host}' does not resolve ({ex.Message}).", ex);
        }
    }

    private static void CheckPort(int port, string setting)
    {
        if (port is < 1 or > 65_535) throw new ArgumentException($"{setting} is {port}; expected a TCP port of 1 to 65,535.");
    }
}
