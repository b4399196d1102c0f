using System.Net;
using System.Net.Sockets;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// Free loopback TCP ports for the processes of a test cluster, taken below Linux' ephemeral range (32768 and up): a port
/// the operating system hands out for listening is also one it may give an outgoing connection (to Azurite, between
/// silos) before the process that was told to listen on it binds it.
/// </summary>
internal static class FreePort
{
    private static readonly HashSet<int> Given = [];

    /// <summary>A port nothing listens on now and no earlier call returned.</summary>
    public static int Next()
    {
        lock (Given)
        {
            for (int attempt = 0; attempt < 1_000; attempt++)
            {
                int port = Random.Shared.Next(20_000, 32_000);
                if (Given.Contains(port)) continue;
                try
                {
                    using var listener = new TcpListener(IPAddress.Loopback, port);
                    listener.Start();
                }
                catch (SocketException)
                {
                    continue;
                }

                Given.Add(port);
                return port;
            }
        }

        throw new InvalidOperationException("No free loopback port between 20000 and 32000 after 1,000 tries.");
    }
}
