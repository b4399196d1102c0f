using Spectre.Console;

namespace MicroMoment.Cli.Tests;

/// <summary>A non-interactive console whose output the test can read.</summary>
public sealed class RecordingConsole : IAnsiConsole
{
    private readonly StringWriter _writer = new();
    private readonly IAnsiConsole _inner;

    public RecordingConsole()
    {
        _inner = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(_writer),
        });
        _inner.Profile.Width = 200;
    }

    public string Output => _writer.ToString();

    public Profile Profile => _inner.Profile;

    public IAnsiConsoleCursor Cursor => _inner.Cursor;

    public IAnsiConsoleInput Input => _inner.Input;

    public IExclusivityMode ExclusivityMode => _inner.ExclusivityMode;

    public Spectre.Console.Rendering.RenderPipeline Pipeline => _inner.Pipeline;

    public void Clear(bool home) => _inner.Clear(home);

    public void Write(Spectre.Console.Rendering.IRenderable renderable) => _inner.Write(renderable);
}
