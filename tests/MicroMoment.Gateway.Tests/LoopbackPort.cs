using System.Net;
using System.Net.Sockets;

namespace MicroMoment.Gateway.Tests;

/// <summary>Loopback TCP ports for the silos and servers tests start.</summary>
internal static class LoopbackPort
{
    /// <summary>A loopback port free a moment ago (the caller binds it right after).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
