using System.Diagnostics;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>
/// Azurite (the Azure Storage emulator pinned in tools/azurite) on free loopback ports for the cluster tests, started
/// by tools/azurite/start.sh and stopped at the end; it needs <c>npm ci</c> in tools/azurite (what .ci/run does).
/// </summary>
public sealed class AzuriteFixture : IDisposable
{
    private readonly string _directory;

    public AzuriteFixture()
    {
        _directory = Directory.CreateTempSubdirectory("mm-azurite-").FullName;
        (ConnectionString, Pid) = Start(_directory);
    }

    /// <summary>The connection string of the emulator's account (explicit loopback endpoints).</summary>
    public string ConnectionString { get; }

    /// <summary>The emulator's process id (a new one after <see cref="Restart"/>).</summary>
    public int Pid { get; private set; }

    /// <summary>SIGSTOP: the emulator stops answering but keeps its sockets (connections open, requests hang): an unresponsive store.</summary>
    public void Pause() => Signal("STOP");

    /// <summary>SIGCONT after <see cref="Pause"/>: the emulator answers again, the requests that waited included.</summary>
    public void Resume() => Signal("CONT");

    /// <summary>
    /// SIGINT, waiting until the emulator exited (SIGKILL after 30 s): it saves its database and is gone (connections refused) until
    /// <see cref="Restart"/>. (SIGKILL loses what Azurite holds in memory but has not saved yet: its own durability, not the cluster's.)
    /// </summary>
    public void Stop()
    {
        try
        {
            // Azurite saves and exits on SIGINT (it did not exit within 30 s of SIGTERM once); SIGKILL if it hangs.
            using var process = Process.GetProcessById(Pid);
            Signal("INT");
            if (!process.WaitForExit(30_000))
            {
                process.Kill();
                process.WaitForExit(10_000);
            }
        }
        catch (ArgumentException)
        {
        }
    }

    /// <summary>Starts the emulator again on the same ports and data directory (what it wrote before is kept): a restarted store.</summary>
    public void Restart()
    {
        var ports = new[] { "TableEndpoint", "BlobEndpoint", "QueueEndpoint" }.Select(PortOf).ToArray();
        var (connectionString, pid) = Start(_directory, ports);
        if (connectionString != ConnectionString)
            throw new InvalidOperationException($"Azurite restarted with another connection string: {connectionString}; expected {ConnectionString}.");
        Pid = pid;
    }

    private int PortOf(string endpoint)
    {
        string part = ConnectionString.Split(';').Single(p => p.StartsWith(endpoint + "=", StringComparison.Ordinal));
        return new Uri(part[(endpoint.Length + 1)..]).Port;
    }

    private void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{signal} {Pid} exited {kill.ExitCode}.");
    }

    private static (string ConnectionString, int Pid) Start(string directory, params int[] ports)
    {
        string script = Path.Combine(RepositoryPaths.Root, "tools", "azurite", "start.sh");
        string[] arguments = [script, directory, .. ports.Select(p => p.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        var start = new ProcessStartInfo("bash", arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"Azurite did not start (tools/azurite/start.sh exited {process.ExitCode}): {error.Trim()} — run 'npm ci' in tools/azurite (as .ci/run does).");
        return (output.Trim(), int.Parse(File.ReadAllText(Path.Combine(directory, "azurite.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        try
        {
            Resume();
        }
        catch (InvalidOperationException)
        {
            // Not running.
        }

        try
        {
            using var process = Process.GetProcessById(Pid);
            process.Kill();
            process.WaitForExit(5_000);
        }
        catch (ArgumentException)
        {
            // Already gone.
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
