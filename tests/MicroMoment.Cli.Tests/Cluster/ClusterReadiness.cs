using System.Net;
using System.Net.Sockets;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>Free loopback ports and a bounded wait for a silo or gateway process's /readyz.</summary>
internal static class ClusterReadiness
{
    /// <summary>A TCP port free on 127.0.0.1 now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until <paramref name="root"/>/readyz answers 200, failing with the process's output if it exits or <paramref name="limit"/> passes.</summary>
    public static async Task WaitReadyAsync(HttpClient http, ClusterProcess process, Uri root, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(process.HasExited, $"{process.Name} exited before it was ready:\n{process.Output}");
            try
            {
                using var answer = await http.GetAsync(new Uri(root, "readyz"));
                if (answer.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(250);
        }

        Assert.Fail($"{process.Name} was not ready within {limit.TotalSeconds:0} s:\n{process.Output}");
    }
}
