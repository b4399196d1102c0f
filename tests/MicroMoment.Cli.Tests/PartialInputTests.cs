using System.CommandLine;
using MicroMoment.Cli.Commands;
using MicroMoment.Cli.Simulation;
using MicroMoment.Cli.Traffic;
using MicroMoment.Events;

namespace MicroMoment.Cli.Tests;

/// <summary>
/// Every command that reads logs stops with exit code 2 on a gzip log cut short, saying which file and how many rows
/// were read, unless --accept-partial is given; then it warns and goes on with those rows.
/// </summary>
public sealed class PartialInputTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mm-partial-").FullName;
    private readonly FileInfo _cut;
    private readonly FileInfo _whole;

    public PartialInputTests()
    {
        _whole = QuickstartCommand.FindSample() ?? throw new FileNotFoundException("The REES46 sample is missing at <repository>/../shared/data/rees46/2019-Oct-head.csv.gz.");
        byte[] bytes = File.ReadAllBytes(_whole.FullName);
        _cut = new FileInfo(Path.Combine(_root, "cut.csv.gz"));
        File.WriteAllBytes(_cut.FullName, bytes[..(bytes.Length / 2)]);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private DirectoryInfo Out(string name) => new(Path.Combine(_root, name));

    private void AssertStoppedNamingTheRowsRead(int code, RecordingConsole console)
    {
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Contains("error:", console.Output);
        Assert.Contains("cut.csv.gz: gzip-truncated", console.Output);
        Assert.Matches(@"[\d,]+ rows were read before it", console.Output);
        Assert.Contains("--accept-partial", console.Output);
    }

    [Fact]
    public void InspectStopsOnACutGzipAndGoesOnWithAcceptPartial()
    {
        var console = new RecordingConsole();
        AssertStoppedNamingTheRowsRead(InspectCommand.Run(console, [_cut], TimeSpan.FromMinutes(30)), console);
        Assert.DoesNotContain("Sessions (", console.Output);

        var accepted = new RecordingConsole();
        Assert.Equal(ExitCodes.Success, InspectCommand.Run(accepted, [_cut], TimeSpan.FromMinutes(30), acceptPartial: true));
        Assert.Contains("warning:", accepted.Output);
        Assert.Contains("going on with them (--accept-partial)", accepted.Output);
        Assert.Contains("Sessions (", accepted.Output);

        var whole = new RecordingConsole();
        Assert.Equal(ExitCodes.Success, InspectCommand.Run(whole, [_whole], TimeSpan.FromMinutes(30)));
        Assert.DoesNotContain("gzip-", whole.Output);
    }

    [Fact]
    public void TrainEvalAndQuickstartStopOnACutGzipBeforeWritingAnything()
    {
        var train = new RecordingConsole();
        AssertStoppedNamingTheRowsRead(TrainCommand.Run(train, [_cut], Out("train"), CliFixture.SmallOptions(), "micromoment train (test)"), train);
        Assert.False(File.Exists(Path.Combine(_root, "train", "model.mmm")));

        var eval = new RecordingConsole();
        AssertStoppedNamingTheRowsRead(EvalCommand.Run(eval, QuickstartCommand.BundledModel(), [_cut], Out("eval"), Training.CensoringPolicy.ObservedAsNegative), eval);
        Assert.False(File.Exists(Path.Combine(_root, "eval", "scores.csv")));

        var quickstart = new RecordingConsole();
        AssertStoppedNamingTheRowsRead(QuickstartCommand.Run(quickstart, [_cut], null, Out("quickstart")), quickstart);
        Assert.False(File.Exists(Path.Combine(_root, "quickstart", "scores.csv")));
    }

    [Fact]
    public void QuickstartWithAcceptPartialScoresTheRowsReadAndWarns()
    {
        var console = new RecordingConsole();
        Assert.Equal(ExitCodes.Success, QuickstartCommand.Run(console, [_cut], null, Out("quickstart"), acceptPartial: true));
        Assert.Contains("warning:", console.Output);
        Assert.True(File.Exists(Path.Combine(_root, "quickstart", "scores.csv")));
        Assert.Contains("gzip-truncated", File.ReadAllText(Path.Combine(_root, "quickstart", "report.html")));
    }

    [Fact]
    public async Task ReplayAndSimulatePolicyStopOnACutGzipBeforeSendingOrSimulating()
    {
        var replay = new RecordingConsole();
        // Nothing listens there: the command must stop on the input before it tries to connect.
        var options = new ReplayOptions { Target = new Uri("http://127.0.0.1:9"), Key = "k" };
        AssertStoppedNamingTheRowsRead(await ReplayCommand.RunAsync(replay, [_cut], options, shiftToNow: false, CancellationToken.None), replay);
        Assert.DoesNotContain("Replaying", replay.Output);

        var simulate = new RecordingConsole();
        var settings = new SimulatePolicyCommand.Settings(QuickstartCommand.BundledModel(), QuickstartCommand.DefaultPolicy(), [_cut], Out("simulate"), ClickEvent.DefaultTenant, CostModel.Default, Sweep: false);
        AssertStoppedNamingTheRowsRead(await SimulatePolicyCommand.RunAsync(simulate, settings, CancellationToken.None), simulate);
        Assert.False(File.Exists(Path.Combine(_root, "simulate", "policy-simulation.json")));
    }

    [Fact]
    public void EveryCommandThatReadsLogsTakesAcceptPartial()
    {
        foreach (var command in new[] { InspectCommand.Create(), TrainCommand.Create(), EvalCommand.Create(), QuickstartCommand.Create(), ReplayCommand.Create(), SimulatePolicyCommand.Create() })
        {
            Assert.Contains(command.Options, o => o.Name == "--accept-partial");
            var parse = command.Parse(["--data", _cut.FullName, "--accept-partial", "--out", _root, "--model", _whole.FullName, "--target", "http://127.0.0.1:9"]);
            Assert.True(parse.GetValue<bool>("--accept-partial"), $"{command.Name} does not read --accept-partial.");
        }
    }
}
