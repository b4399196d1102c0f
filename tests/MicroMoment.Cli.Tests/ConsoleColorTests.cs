using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using MicroMoment.Cli.Commands;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace MicroMoment.Cli.Tests;

/// <summary>
/// Output written to a file or a pipe carries no escape code, and NO_COLOR turns colour off on a terminal too: the
/// real <c>micromoment serve</c> process is started with its output redirected (and, through <c>script</c>, on a
/// pseudo-terminal), with a TERM that claims colour support, as a user's shell would have it.
/// </summary>
public sealed partial class ConsoleColorTests
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(90);

    [GeneratedRegex(@"\x1b\[[0-9;]*m")]
    private static partial Regex Sgr();

    /// <summary>Any escape sequence (CSI sequences, keypad modes), to read the text a terminal would show.</summary>
    [GeneratedRegex(@"\x1b(\[[0-9;?]*[A-Za-z]|[=>])")]
    private static partial Regex Escape();

    /// <summary>Select-graphic-rendition codes that set a colour (30–37, 38;…, 40–47, 48;…, 90–97, 100–107).</summary>
    private static bool IsColour(string sgr) =>
        sgr[2..^1].Split(';').Any(p => int.TryParse(p, out int n) && (n is >= 30 and <= 38 or >= 40 and <= 48 or >= 90 and <= 97 or >= 100 and <= 107));

    [Theory]
    [InlineData(null)]
    [InlineData("1")]
    public async Task ServeWrittenToAFileHasNoEscapeCodes(string? noColor)
    {
        string output = await RunServeAsync(onTerminal: false, noColor);
        Assert.Contains("Press Ctrl+C to stop.", output);
        Assert.DoesNotContain('\x1b', output);
    }

    [Fact]
    public async Task ServeOnATerminalIsColouredUnlessNoColorIsSet()
    {
        if (!File.Exists("/usr/bin/script")) Assert.Fail("This test needs util-linux's 'script' (Debian: bsdutils) to give the process a terminal.");
        string coloured = await RunServeAsync(onTerminal: true, noColor: null);
        Assert.Contains("Press Ctrl+C", Escape().Replace(coloured, string.Empty));
        Assert.Contains(Sgr().Matches(coloured), m => IsColour(m.Value)); // the check below can fail

        string plain = await RunServeAsync(onTerminal: true, noColor: "1");
        Assert.Contains("Press Ctrl+C", Escape().Replace(plain, string.Empty));
        Assert.DoesNotContain(Sgr().Matches(plain), m => IsColour(m.Value));
    }

    [Theory]
    [InlineData(false, null, true)]
    [InlineData(false, "", true)]
    [InlineData(false, "1", false)]
    [InlineData(true, null, false)]
    [InlineData(true, "1", false)]
    public void ColourOnlyOnATerminalWithoutNoColor(bool redirected, string? noColor, bool expected)
    {
        Assert.Equal(expected, ConsoleStyle.UseColor(redirected, noColor));
        var writer = new StringWriter();
        var console = ConsoleStyle.CreateConsole(writer, redirected, noColor);
        console.MarkupLine("[red]error:[/] [bold]x[/]");
        if (!expected) Assert.DoesNotContain(Sgr().Matches(writer.ToString()), m => IsColour(m.Value));
        if (redirected) Assert.DoesNotContain('\x1b', writer.ToString());
    }

    [Theory]
    [InlineData(true, LoggerColorBehavior.Enabled)]
    [InlineData(false, LoggerColorBehavior.Disabled)]
    public void ServeLogsInColourOnlyWhenAllowed(bool color, LoggerColorBehavior expected)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => ServeCommand.ConfigureLogging(logging, color));
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<SimpleConsoleFormatterOptions>>().Value;
        Assert.Equal(expected, options.ColorBehavior);
        Assert.True(options.SingleLine);
    }

    /// <summary>Starts the built CLI's serve on a free port, reads its output until it is up, then stops it.</summary>
    private static async Task<string> RunServeAsync(bool onTerminal, string? noColor)
    {
        var data = Directory.CreateTempSubdirectory("mm-color-");
        try
        {
            string dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
            string cli = Path.Combine(AppContext.BaseDirectory, "micromoment.dll");
            string[] args = [cli, "serve", "--urls", "http://127.0.0.1:0", "--orleans-port", "0", "--data-dir", data.FullName, "--server-key", "mm_sk_colour_test_key_0123456789"];
            var start = onTerminal
                ? new ProcessStartInfo("/usr/bin/script", ["-qfec", string.Join(' ', new[] { dotnet }.Concat(args).Select(a => $"'{a}'")), "/dev/null"])
                : new ProcessStartInfo(dotnet, args);
            start.RedirectStandardOutput = true;
            start.RedirectStandardError = true;
            start.RedirectStandardInput = true;
            start.UseShellExecute = false;
            start.WorkingDirectory = data.FullName;
            start.Environment["TERM"] = "xterm-256color";
            start.Environment.Remove("DOTNET_SYSTEM_CONSOLE_ALLOW_ANSI_COLOR_REDIRECTION");
            if (noColor is null) start.Environment.Remove(ConsoleStyle.NoColorVariable);
            else start.Environment[ConsoleStyle.NoColorVariable] = noColor;

            using var process = Process.Start(start)!;
            var output = new StringBuilder();
            var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (output) output.AppendLine(e.Data);
                if (Escape().Replace(e.Data, string.Empty).Contains("Press Ctrl+C", StringComparison.Ordinal)) up.TrySetResult();
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is not null) lock (output) output.AppendLine(e.Data);
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                await up.Task.WaitAsync(StartBound);
            }
            catch (TimeoutException)
            {
                lock (output) Assert.Fail($"serve did not start within {StartBound.TotalSeconds} s; its output:\n{output}");
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            lock (output) return output.ToString();
        }
        finally
        {
            data.Delete(recursive: true);
        }
    }
}
