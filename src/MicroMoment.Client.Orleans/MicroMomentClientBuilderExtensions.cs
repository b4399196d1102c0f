using System.Net;
using MicroMoment.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;

namespace MicroMoment.Client.Orleans;

/// <summary>Connects Orleans' client to a MicroMoment silo and registers <see cref="MicroMomentOrleansClient"/> (inside <c>UseOrleansClient</c>).</summary>
public static class MicroMomentClientBuilderExtensions
{
    /// <summary>
    /// Connects to the Orleans client gateway of a MicroMoment silo on this machine: what <c>micromoment serve</c> opens on
    /// <c>--orleans-port</c> (<paramref name="port"/>, 30000 by default, on loopback).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The port is not 1 to 65,535.</exception>
    public static IClientBuilder UseMicroMomentGateway(this IClientBuilder client, int port = MicroMomentCluster.DefaultGatewayPort)
    {
        CheckPort(port);
        return client.UseMicroMomentGateways(new IPEndPoint(IPAddress.Loopback, port));
    }

    /// <summary>
    /// Connects to a fixed list of Orleans client gateways of a MicroMoment cluster (static clustering) with the service and
    /// cluster ids of <c>micromoment serve</c>.
    /// </summary>
    /// <exception cref="ArgumentException">No gateway, or a gateway with port 0.</exception>
    public static IClientBuilder UseMicroMomentGateways(this IClientBuilder client, params IPEndPoint[] gateways)
    {
        ArgumentNullException.ThrowIfNull(client);
        CheckGateways(gateways);
        return client.UseStaticClustering(gateways).UseMicroMomentCluster();
    }

    /// <summary>Throws when <paramref name="port"/> cannot be a gateway's port.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The port is not 1 to 65,535.</exception>
    internal static void CheckPort(int port, string paramName = "port")
    {
        if (port is < 1 or > IPEndPoint.MaxPort)
            throw new ArgumentOutOfRangeException(paramName, port, $"The Orleans gateway port is {port}; expected the port `serve` prints for its Orleans gateway (1 to 65,535; {MicroMomentCluster.DefaultGatewayPort} by default).");
    }

    /// <summary>Throws when <paramref name="gateways"/> is empty or holds an endpoint without a port.</summary>
    /// <exception cref="ArgumentException">No gateway, or a gateway that is null or has port 0.</exception>
    internal static void CheckGateways(IReadOnlyList<IPEndPoint> gateways, string paramName = "gateways")
    {
        ArgumentNullException.ThrowIfNull(gateways, paramName);
        if (gateways.Count == 0) throw new ArgumentException("No Orleans gateway given; expected at least one silo's client gateway endpoint (e.g. 127.0.0.1:30000).", paramName);
        for (int i = 0; i < gateways.Count; i++)
        {
            if (gateways[i] is null || gateways[i].Port == 0)
                throw new ArgumentException($"Orleans gateway #{i} is {(gateways[i] is null ? "null" : gateways[i].ToString())}; expected a silo's client gateway endpoint with its port (e.g. 127.0.0.1:30000).", paramName);
        }
    }

    /// <summary>
    /// Names the MicroMoment cluster to join (by default that of <c>micromoment serve</c>). With a membership provider
    /// instead of fixed gateways (e.g. Orleans' ADO.NET or Redis clustering, configured by the caller), the client finds the
    /// cluster's gateways itself.
    /// </summary>
    public static IClientBuilder UseMicroMomentCluster(this IClientBuilder client, string clusterId = MicroMomentCluster.ClusterId, string serviceId = MicroMomentCluster.ServiceId)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterId);
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceId);
        return client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = clusterId;
            o.ServiceId = serviceId;
        });
    }

    /// <summary>
    /// Registers a <see cref="MicroMomentOrleansClient"/> (a singleton over the host's <see cref="IClusterClient"/>) with
    /// the options from <paramref name="configure"/>; resolve it once the host started. Uses the host's
    /// <see cref="TimeProvider"/> and logging when registered.
    /// </summary>
    public static IClientBuilder AddMicroMomentClient(this IClientBuilder client, Action<MicroMomentOrleansOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var options = client.Services.AddOptions<MicroMomentOrleansOptions>();
        if (configure is not null) options.Configure(configure);
        client.Services.TryAddSingleton(sp => new MicroMomentOrleansClient(
            sp.GetRequiredService<IClusterClient>(),
            sp.GetRequiredService<IOptions<MicroMomentOrleansOptions>>().Value,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<MicroMomentOrleansClient>>()));
        return client;
    }
}
