using System.Diagnostics;
using System.Globalization;
using MicroMoment.Data;
using MicroMoment.Events;
using MicroMoment.Sessions;
using Spectre.Console;

namespace MicroMoment.Cli;

/// <summary>Reads event logs into sessions and prints what was accepted and rejected.</summary>
internal static class DataInput
{
    /// <summary>
    /// Reads every file (REES46 CSV or YOOCHOOSE TSV, plain or gzip), streaming, and sessionizes them; when the logs
    /// hold more than <paramref name="maxSessions"/> sessions only a deterministic sample of whole sessions is
    /// materialized (the others are only counted), and the console says so.
    /// </summary>
    /// <exception cref="NoUsableRowsException">No file had a usable row.</exception>
    /// <exception cref="IncompleteInputException">A gzip log did not end cleanly and <paramref name="acceptPartial"/> is false.</exception>
    public static (SessionSample Sample, IngestReport Report) Load(IReadOnlyList<FileInfo> files, TimeSpan timeout, IAnsiConsole console, int? maxSessions = null, bool acceptPartial = false)
    {
        var report = new IngestReport();
        RequireFiles(files);
        SessionSample sample = null!;
        console.Status().Start("Reading events", _ =>
            sample = Sessionizer.SessionizeSample(Events(files, report), new SessionizerOptions { InactivityTimeout = timeout }, maxSessions));
        // The sessionizer's event store (56 bytes per event read, gigabytes for a month) is garbage now; give it back
        // before training allocates, so the peak is the larger of the two phases rather than their sum.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        console.WriteLine(report.Summary());
        RequireComplete(report, acceptPartial, console);
        report.ThrowIfNoUsableRows();
        var population = sample.Population;
        console.MarkupLineInterpolated($"[green]{population.Sessions:N0} sessions[/] ({population.WithPurchase:N0} with a purchase, {population.Censored:N0} cut off by the end of the log).");
        if (sample.IsSampled)
            console.MarkupLineInterpolated($"[yellow]{sample.Describe()} Use --max-sessions 0 for every session.[/]");
        return (sample, report);
    }

    /// <summary>Reads and sessionizes every file for statistics only (no session is kept), timing the pass.</summary>
    /// <exception cref="NoUsableRowsException">No file had a usable row.</exception>
    /// <exception cref="IncompleteInputException">A gzip log did not end cleanly and <paramref name="acceptPartial"/> is false.</exception>
    public static (SessionStatistics Statistics, IngestReport Report, TimeSpan Elapsed) Describe(IReadOnlyList<FileInfo> files, TimeSpan timeout, IAnsiConsole console, bool acceptPartial = false)
    {
        var report = new IngestReport();
        RequireFiles(files);
        SessionStatistics statistics = SessionStatistics.Empty;
        var clock = Stopwatch.StartNew();
        console.Status().Start("Reading events", _ =>
            statistics = Sessionizer.Describe(Events(files, report), new SessionizerOptions { InactivityTimeout = timeout }));
        clock.Stop();
        console.WriteLine(report.Summary());
        RequireComplete(report, acceptPartial, console);
        report.ThrowIfNoUsableRows();
        return (statistics, report, clock.Elapsed);
    }

    /// <summary>
    /// Stops with <see cref="IncompleteInputException"/> (exit code 2 in every command) when a log's data did not end
    /// cleanly (a truncated or corrupt gzip file), naming each file and the rows read from it; with
    /// <paramref name="acceptPartial"/> it prints the same as a warning and lets the command go on with those rows.
    /// </summary>
    public static void RequireComplete(IngestReport report, bool acceptPartial, IAnsiConsole console)
    {
        if (report.IsComplete) return;
        if (!acceptPartial) report.ThrowIfIncomplete("Pass --accept-partial to go on with the rows that were read.");
        foreach (var file in report.IncompleteFiles)
            console.MarkupLineInterpolated($"[yellow]warning:[/] {file.FileName} is incomplete, {file.DescribeDamage()}; going on with them (--accept-partial).");
    }

    /// <summary>The process's peak resident memory so far, as text (e.g. "5.21 GB").</summary>
    public static string PeakMemory()
    {
        using var self = Process.GetCurrentProcess();
        return string.Create(CultureInfo.InvariantCulture, $"{self.PeakWorkingSet64 / 1e9:0.00} GB");
    }

    /// <summary>Events of every file in turn; the source's own session ids are dropped (nothing downstream reads them).</summary>
    private static IEnumerable<ClickEvent> Events(IReadOnlyList<FileInfo> files, IngestReport report) =>
        files.SelectMany(f => EventLogReader.Read(f.FullName, report, options: EventReadOptions.Lean));

    private static void RequireFiles(IReadOnlyList<FileInfo> files)
    {
        foreach (var file in files)
            if (!file.Exists) throw new FileNotFoundException($"Data file '{file.FullName}' does not exist.", file.FullName);
    }
}
