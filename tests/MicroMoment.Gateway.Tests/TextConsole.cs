using Spectre.Console;

namespace MicroMoment.Gateway.Tests;

/// <summary>A plain-text Spectre console whose output a test can read.</summary>
internal static class TextConsole
{
    public static (IAnsiConsole Console, StringWriter Output) Create()
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 240;
        return (console, writer);
    }
}
