using System.Collections.Concurrent;
using System.Diagnostics;

namespace MicroMoment.Cli.Tests.Cluster;

/// <summary>A <c>micromoment silo</c> or <c>micromoment gateway</c> process of a test cluster, its output kept for failure messages.</summary>
internal sealed class ClusterProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private ClusterProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>What the process printed so far.</summary>
    public string Output => string.Join('\n', _output);

    /// <summary>Starts <c>dotnet micromoment.dll <paramref name="command"/></c> with <paramref name="environment"/> and <paramref name="arguments"/>.</summary>
    public static ClusterProcess Start(string name, string command, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(RepositoryPaths.Program);
        start.ArgumentList.Add(command);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return new ClusterProcess(name, Process.Start(start)!);
    }

    /// <summary>The process' exit code (only once it has exited).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>
    /// SIGTERM (what an orchestrator sends to stop a pod, or Ctrl+C), then waits until the process has exited; fails if it
    /// is still running after <paramref name="limit"/>. Returns how long it took to exit.
    /// </summary>
    public async Task<TimeSpan> StopAsync(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        if (_process.HasExited) return TimeSpan.Zero;
        using (var signal = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
        {
            await signal.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{Name} was still running {limit.TotalSeconds:0} s after SIGTERM:\n{Output}");
        }

        return clock.Elapsed;
    }

    /// <summary>SIGKILL: the process ends at once, nothing flushed (a crash, a lost machine).</summary>
    public void KillHard()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    public void Dispose()
    {
        try
        {
            KillHard();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
