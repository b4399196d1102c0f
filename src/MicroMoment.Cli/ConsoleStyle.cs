using Microsoft.Extensions.Logging.Console;
using Spectre.Console;

namespace MicroMoment.Cli;

/// <summary>
/// When the command line's output may carry ANSI escape codes: colour only when standard output is a terminal and
/// <c>NO_COLOR</c> is unset or empty (https://no-color.org); no escape code at all (colour, cursor movement, live
/// progress) when it is redirected to a file or a pipe. Applies to Spectre.Console's output and to the console logger.
/// </summary>
internal static class ConsoleStyle
{
    /// <summary>The environment variable that turns colour off when set to anything but the empty string.</summary>
    public const string NoColorVariable = "NO_COLOR";

    /// <summary>Width of the text when the output is redirected (no terminal to ask).</summary>
    public const int RedirectedWidth = 160;

    /// <summary>Whether output to this process's standard output may be coloured now.</summary>
    public static bool UseColor() => UseColor(Console.IsOutputRedirected, Environment.GetEnvironmentVariable(NoColorVariable));

    /// <summary>Colour only on a terminal, and only while <paramref name="noColor"/> (the value of NO_COLOR) is unset or empty.</summary>
    public static bool UseColor(bool outputRedirected, string? noColor) => !outputRedirected && string.IsNullOrEmpty(noColor);

    /// <summary>The console for the command line's own output, writing to <paramref name="output"/>.</summary>
    public static IAnsiConsole CreateConsole(TextWriter output, bool outputRedirected, string? noColor)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = outputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = UseColor(outputRedirected, noColor) ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = outputRedirected ? InteractionSupport.No : InteractionSupport.Detect,
            Out = new AnsiConsoleOutput(output),
        });
        if (outputRedirected) console.Profile.Width = RedirectedWidth;
        return console;
    }

    /// <summary>The console logger's colour setting for the same rule.</summary>
    public static LoggerColorBehavior LogColors(bool useColor) => useColor ? LoggerColorBehavior.Enabled : LoggerColorBehavior.Disabled;
}
