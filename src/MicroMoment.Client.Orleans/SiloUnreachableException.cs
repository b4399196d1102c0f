using System.Net;
using MicroMoment.Grains;

namespace MicroMoment.Client.Orleans;

/// <summary>
/// No MicroMoment silo answered on the Orleans client gateways given to
/// <see cref="MicroMomentOrleansClient.ConnectAsync(IReadOnlyList{IPEndPoint}, MicroMomentOrleansOptions?, Action{global::Orleans.Hosting.IClientBuilder}?, CancellationToken)"/>;
/// Orleans' own error is the inner exception.
/// </summary>
public sealed class SiloUnreachableException : Exception
{
    /// <summary>An error for <paramref name="gateways"/>, caused by <paramref name="inner"/>.</summary>
    public SiloUnreachableException(IReadOnlyList<IPEndPoint> gateways, Exception inner)
        : base(Describe(gateways, inner), inner)
    {
        Gateways = gateways;
    }

    /// <summary>The gateways tried.</summary>
    public IReadOnlyList<IPEndPoint> Gateways { get; }

    private static string Describe(IReadOnlyList<IPEndPoint> gateways, Exception inner) =>
        $"No MicroMoment silo answered on the Orleans gateway{(gateways.Count == 1 ? "" : "s")} {string.Join(", ", gateways)} ({inner.GetType().Name}: {inner.Message}). "
        + $"Expected a running `micromoment serve` whose --orleans-port (default {MicroMomentCluster.DefaultGatewayPort}, on loopback) is that port, "
        + $"with service id '{MicroMomentCluster.ServiceId}' and cluster id '{MicroMomentCluster.ClusterId}' unless configured otherwise.";
}
