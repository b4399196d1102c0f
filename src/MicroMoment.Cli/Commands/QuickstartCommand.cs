using System.CommandLine;
using MicroMoment.Data;
using MicroMoment.Training;
using Spectre.Console;

namespace MicroMoment.Cli.Commands;

/// <summary>
/// <c>micromoment quickstart</c>: the README's first command. Scores a real log (the REES46 sample when the
/// shared data folder is present, or a file given with --data) with the bundled model, event by event, and
/// writes the report; on a machine without a log it uses clearly labelled synthetic traffic instead.
/// </summary>
internal static class QuickstartCommand
{
    /// <summary>Where the REES46 sample lives relative to the repository root.</summary>
    internal static readonly string SampleRelativePath = Path.Combine("..", "shared", "data", "rees46", "2019-Oct-head.csv.gz");

    public static Command Create()
    {
        var data = new Option<FileInfo[]>("--data") { Description = "Event log(s) to score instead of the REES46 sample", AllowMultipleArgumentsPerToken = true };
        var model = new Option<FileInfo?>("--model") { Description = "Model file (default: the bundled model)" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("out", "quickstart")) };
        var acceptPartial = CommonOptions.AcceptPartial();
        var command = new Command("quickstart", "Score a real log (or labelled synthetic traffic) with the bundled model and write the report");
        foreach (var o in new Option[] { data, model, output, acceptPartial }) command.Options.Add(o);
        command.SetAction((ParseResult parse, CancellationToken ct) =>
            Task.FromResult(Run(AnsiConsole.Console, parse.GetValue(data), parse.GetValue(model), parse.GetValue(output)!, parse.GetValue(acceptPartial))));
        return command;
    }

    internal static int Run(IAnsiConsole console, FileInfo[]? data, FileInfo? model, DirectoryInfo outDir, bool acceptPartial = false)
    {
        var modelFile = model ?? BundledModel();
        var files = data is { Length: > 0 } ? data : FindSample() is { } sample ? [sample] : null;
        if (files is null)
        {
            outDir.Create();
            var path = Path.Combine(outDir.FullName, "synthetic-traffic.csv");
            console.MarkupLine("[yellow]No event log given and the REES46 sample is not here: generating SYNTHETIC traffic (labelled synthetic, tenant 'synthetic').[/]");
            using (var writer = new StreamWriter(path)) SyntheticTraffic.WriteRees46Csv(writer, new SyntheticTrafficOptions());
            console.MarkupLineInterpolated($"Synthetic log: [bold]{path}[/] (numbers below describe the generator, not real shoppers)");
            files = [new FileInfo(path)];
        }
        return EvalCommand.Run(console, modelFile, files, outDir, CensoringPolicy.ObservedAsNegative, acceptPartial);
    }

    /// <summary>The model shipped with the build (copied next to the executable from models/default.mmm).</summary>
    internal static FileInfo BundledModel() => new(Path.Combine(AppContext.BaseDirectory, "models", "default.mmm"));

    /// <summary>
    /// The default trigger policy: <c>policies/default.yaml</c> of the repository the command runs in (so edits to it
    /// are hot-reloaded), else the copy shipped next to the executable.
    /// </summary>
    internal static FileInfo DefaultPolicy() =>
        FindInRepository(DefaultPolicyRelativePath) ?? new FileInfo(Path.Combine(AppContext.BaseDirectory, DefaultPolicyRelativePath));

    /// <summary>The default policy's path relative to the repository root.</summary>
    internal static readonly string DefaultPolicyRelativePath = Path.Combine("policies", "default.yaml");

    /// <summary>Looks for the REES46 sample beside the repository the command runs from.</summary>
    internal static FileInfo? FindSample() => FindInRepository(SampleRelativePath);

    /// <summary>An existing file at <paramref name="relative"/> from the root of the repository the command runs from (or is built in).</summary>
    private static FileInfo? FindInRepository(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (!File.Exists(Path.Combine(dir.FullName, "MicroMoment.Orleans.sln"))) continue;
                var candidate = new FileInfo(Path.Combine(dir.FullName, relative));
                return candidate.Exists ? candidate : null;
            }
        }
        return null;
    }
}
