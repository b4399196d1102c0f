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
        string script = Path.Combine(RepositoryPaths.Root, "tools", "azurite", "start.sh");
        var start = new ProcessStartInfo("bash", [script, _directory]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"Azurite did not start (tools/azurite/start.sh exited {process.ExitCode}): {error.Trim()} — run 'npm ci' in tools/azurite (as .ci/run does).");
        ConnectionString = output.Trim();
        Pid = int.Parse(File.ReadAllText(Path.Combine(_directory, "azurite.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The connection string of the emulator's account (explicit loopback endpoints).</summary>
    public string ConnectionString { get; }

    /// <summary>The emulator's process id.</summary>
    public int Pid { get; }

    public void Dispose()
    {
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
