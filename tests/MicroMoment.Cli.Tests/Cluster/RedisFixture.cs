using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// redis-server (Debian's package) on a free loopback port for the cluster tests, started by tools/redis/start.sh with
/// its data in a temporary folder and shut down at the end; it needs <c>apt-get install redis-server</c> (what .ci/run does).
/// </summary>
public sealed class RedisFixture : IDisposable
{
    private readonly string _directory;

    public RedisFixture()
    {
        _directory = System.IO.Directory.CreateTempSubdirectory("mm-redis-").FullName;
        string script = Path.Combine(RepositoryPaths.Root, "tools", "redis", "start.sh");
        var start = new ProcessStartInfo("bash", [script, _directory]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"Redis did not start (tools/redis/start.sh exited {process.ExitCode}): {error.Trim()} — install it with 'apt-get install redis-server' (as .ci/run does).");
        ConnectionString = output.Trim();
        Port = int.Parse(ConnectionString[(ConnectionString.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        Pid = int.Parse(File.ReadAllText(Path.Combine(_directory, "redis.pid")).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>The StackExchange.Redis configuration string (127.0.0.1:port).</summary>
    public string ConnectionString { get; }

    /// <summary>The server's port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The server's data folder (absolute).</summary>
    public string Directory => _directory;

    /// <summary>The server's process id.</summary>
    public int Pid { get; }

    public void Dispose()
    {
        // SHUTDOWN NOSAVE over the wire: the daemonised server is not this process's child, so it is asked to stop
        // rather than killed and waited for; killed only if it does not answer.
        try
        {
            using var client = new TcpClient("127.0.0.1", Port);
            var stream = client.GetStream();
            stream.Write(Encoding.ASCII.GetBytes("SHUTDOWN NOSAVE\r\n"));
            stream.ReadTimeout = 5_000;
            _ = stream.Read(new byte[64]);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            try
            {
                using var process = Process.GetProcessById(Pid);
                process.Kill();
            }
            catch (Exception inner) when (inner is ArgumentException or InvalidOperationException)
            {
                // Already gone.
            }
        }

        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
