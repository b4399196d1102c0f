using MicroMoment.Cli.Commands;
using MicroMoment.Cli.Simulation;
using MicroMoment.Events;

namespace MicroMoment.Cli.Tests;

/// <summary>
/// <c>serve --policy FILE</c> and <c>simulate-policy --policy FILE</c> with a policy file the YAML parser cannot read
/// (text that used to escape as InvalidOperationException or InvalidCastException, or an alias bomb) end with exit code
/// 2 and a message naming the file and the line.
/// </summary>
public sealed class PolicyFileErrorTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("mm-policy-error-");

    public void Dispose() => _root.Delete(recursive: true);

    public static TheoryData<string, int> BrokenPolicies => new()
    {
        { "version: v1\nrules:\n  - name: [unclosed\n  - name: b\n", 3 },
        { "version: v1\n? [a, b]\n: 1\nrules: []\n", 2 },
        { "version: v1\nx: &a [*a]\n", 2 },
        { "version: bomb\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\na1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]\na2: &a2 [*a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1, *a1]\na3: &a3 [*a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2, *a2]\na4: &a4 [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]\na5: &a5 [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4]\n", 6 },
    };

    private string Write(string text)
    {
        string path = Path.Combine(_root.FullName, "policy.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [MemberData(nameof(BrokenPolicies))]
    public async Task ServeRefusesItNamingFileAndLine(string text, int line)
    {
        string path = Write(text);
        var console = new RecordingConsole();

        int code = await ServeCommand.RunAsync(console, new ServeSettings
        {
            Policy = new FileInfo(path),
            DataDirectory = _root.CreateSubdirectory("data"),
            Urls = "http://127.0.0.1:0",
        }, CancellationToken.None);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"error: Policy {path}, line {line}", console.Output.Replace("\n", string.Empty, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(BrokenPolicies))]
    public async Task SimulatePolicyRefusesItNamingFileAndLine(string text, int line)
    {
        string path = Write(text);
        var console = new RecordingConsole();
        var sample = QuickstartCommand.FindSample() ?? new FileInfo(Path.Combine(_root.FullName, "not-read.csv"));
        var settings = new SimulatePolicyCommand.Settings(QuickstartCommand.BundledModel(), new FileInfo(path), [sample], _root.CreateSubdirectory("out"), ClickEvent.DefaultTenant, CostModel.Default, Sweep: false);

        int code = await SimulatePolicyCommand.RunAsync(console, settings, CancellationToken.None);

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains($"error: Policy {path}, line {line}", console.Output.Replace("\n", string.Empty, StringComparison.Ordinal));
    }
}
