using System.CommandLine;
using System.Globalization;
using MicroMoment.Data;
using Spectre.Console;

namespace MicroMoment.Cli.Commands;

/// <summary><c>micromoment inspect</c>: reads and sessionizes logs without training and prints the ingest report,
/// session statistics, throughput and peak memory. Sessions are counted, not kept, so it runs on a full month.</summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var timeout = CommonOptions.SessionTimeoutMinutes();
        var acceptPartial = CommonOptions.AcceptPartial();
        var command = new Command("inspect", "Read and sessionize event logs; print what was accepted, session statistics, time and peak memory");
        foreach (var o in new Option[] { data, timeout, acceptPartial }) command.Options.Add(o);
        command.SetAction((ParseResult parse, CancellationToken ct) =>
            Task.FromResult(Run(AnsiConsole.Console, parse.GetValue(data)!, TimeSpan.FromMinutes(parse.GetValue(timeout)), parse.GetValue(acceptPartial))));
        return command;
    }

    internal static int Run(IAnsiConsole console, IReadOnlyList<FileInfo> files, TimeSpan timeout, bool acceptPartial = false)
    {
        try
        {
            var (statistics, ingest, elapsed) = DataInput.Describe(files, timeout, console, acceptPartial);
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Sessions ({timeout.TotalMinutes:0.#}-minute inactivity cut-off):"));
            console.WriteLine(statistics.Describe());
            console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Read and sessionized {ingest.RowsRead:N0} rows in {elapsed.TotalSeconds:0.0} s ({ingest.RowsRead / Math.Max(1e-9, elapsed.TotalSeconds):N0} rows/s); peak memory {DataInput.PeakMemory()}."));
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ex is NoUsableRowsException or IncompleteInputException or FileNotFoundException or InvalidDataException or ArgumentException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.BadInput;
        }
    }
}
