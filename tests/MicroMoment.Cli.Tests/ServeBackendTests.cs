using MicroMoment.Cli.Commands;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace MicroMoment.Cli.Tests;

/// <summary>
/// serve --backend: a backend that cannot start here fails serve at start with exit code 7 and the reason (never a
/// silent fall-back, never a failure at the first event); auto falls back to the SIMD kernel and says why.
/// </summary>
public sealed class ServeBackendTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mm-backend-");

    public void Dispose() => _root.Delete(recursive: true);

    [Theory]
    [InlineData("onnx-cpu")]
    [InlineData("onnx-cuda")]
    public async Task ABackendThatCannotStartHereEndsServeAtStartWithTheReason(string backend)
    {
        // The command line is built without ONNX Runtime's natives by default, so neither ONNX backend can start.
        var console = new RecordingConsole();
        int code = await ServeCommand.RunAsync(console, new ServeSettings
        {
            DataDirectory = _root.CreateSubdirectory("data-" + backend),
            Urls = "http://127.0.0.1:0",
            OrleansPort = 0,
            Backend = backend,
        }, CancellationToken.None);

        string output = console.Output.Replace("\n", string.Empty, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BackendUnavailable, code);
        Assert.Contains($"error: The silo's model backend '{backend}' cannot start", output, StringComparison.Ordinal);
        Assert.Contains("native library", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Press Ctrl+C", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AutoFallsBackToTheSimdKernelAndSaysWhy()
    {
        var console = new RecordingConsole();
        var log = new FakeLogCollector();
        using var stop = new CancellationTokenSource();
        var serving = ServeCommand.RunAsync(console, new ServeSettings
        {
            DataDirectory = _root.CreateSubdirectory("data-auto"),
            Urls = "http://127.0.0.1:0",
            OrleansPort = 0,
            Backend = "auto",
            Logging = logging => logging.AddProvider(new FakeLoggerProvider(log)),
        }, stop.Token);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!console.Output.Contains("Press Ctrl+C", StringComparison.Ordinal) && !serving.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, $"serve --backend auto did not start within 60 s; its output:\n{console.Output}");
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        Assert.Equal(ExitCodes.Success, await serving);
        // The silo says why through the log pipeline (event 1010), which serve writes to the console.
        var fallback = Assert.Single(log.GetSnapshot(), r => r.Id.Id == 1010);
        Assert.Equal(LogLevel.Warning, fallback.Level);
        Assert.StartsWith("Model backend auto:", fallback.Message, StringComparison.Ordinal);
        Assert.EndsWith("Running 'simd'.", fallback.Message, StringComparison.Ordinal);
    }
}
