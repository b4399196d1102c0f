using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace MicroMoment.Gateway.Tests.Durability;

/// <summary>
/// <c>micromoment serve</c> as a child process, as an operator runs it: the built CLI, a real data directory, a real
/// port (Kestrel on 127.0.0.1:0, read from what serve prints), the bundled model and the default policy.
/// </summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    public const string ServerKey = "mm_sk_durability_tests_0001";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeProcess(string dataDirectory, IEnumerable<string> extraArguments)
    {
        DataDirectory = dataDirectory;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "micromoment.dll"), "serve",
            "--model", Path.Combine(BundledModel.RepositoryRoot, "models", "default", "model.mmm"),
            "--policy", Path.Combine(BundledModel.RepositoryRoot, "policies", "default.yaml"),
            "--data-dir", dataDirectory,
            "--urls", "http://127.0.0.1:0",
            "--server-key", ServerKey,
            // A free port rather than the default 30000, which other processes on the machine may hold.
            "--orleans-port", LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.Concat(extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(_stdout, e.Data, lookForAddress: true);
        _process.ErrorDataReceived += (_, e) => OnLine(_stderr, e.Data, lookForAddress: false);
        _process.Exited += (_, _) => _address.TrySetException(new InvalidOperationException($"serve exited with code {_process.ExitCode} before it listened.\n{Output}"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The data directory it was started on.</summary>
    public string DataDirectory { get; }

    /// <summary>The gateway's address once it listens.</summary>
    public Uri BaseAddress => _address.Task.Result;

    /// <summary>The process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>Everything it wrote to standard output.</summary>
    public string StandardOutput
    {
        get
        {
            lock (_stdout) return _stdout.ToString();
        }
    }

    /// <summary>Everything it wrote to standard error.</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr) return _stderr.ToString();
        }
    }

    /// <summary>Both outputs, for failure messages.</summary>
    public string Output => $"--- stdout ---\n{StandardOutput}\n--- stderr ---\n{StandardError}";

    /// <summary>Starts serve and waits until its gateway listens.</summary>
    public static async Task<ServeProcess> StartAsync(string dataDirectory, params string[] extraArguments)
    {
        var serve = new ServeProcess(dataDirectory, extraArguments);
        try
        {
            await serve._address.Task.WaitAsync(StartTimeout);
            return serve;
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs serve expecting it to stop by itself (a refused start); returns its exit code and outputs.</summary>
    public static async Task<(int ExitCode, string StandardOutput, string StandardError)> RunToExitAsync(string dataDirectory, params string[] extraArguments)
    {
        var serve = new ServeProcess(dataDirectory, extraArguments);
        try
        {
            using var timeout = new CancellationTokenSource(StartTimeout);
            await serve._process.WaitForExitAsync(timeout.Token);
            return (serve._process.ExitCode, serve.StandardOutput, serve.StandardError);
        }
        finally
        {
            await serve.DisposeAsync();
        }
    }

    /// <summary>An HTTP client on the gateway with the server key.</summary>
    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ServerKey);
        return client;
    }

    /// <summary>SIGKILL: the process ends at once, without flushing anything.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill();
            }
            catch (InvalidOperationException)
            {
            }

            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLine(StringBuilder buffer, string? line, bool lookForAddress)
    {
        if (line is null) return;
        line = AnsiEscape().Replace(line, "");
        lock (buffer) buffer.AppendLine(line);
        if (lookForAddress && GatewayLine().Match(line) is { Success: true } match) _address.TrySetResult(new Uri(match.Groups[1].Value));
    }

    [GeneratedRegex(@"^Gateway:\s+(http://127\.0\.0\.1:\d+/)")]
    private static partial Regex GatewayLine();

    /// <summary>Styles the console writes even when its output is redirected.</summary>
    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex AnsiEscape();
}
