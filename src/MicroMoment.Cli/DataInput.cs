using MicroMoment.Data;
using MicroMoment.Sessions;
using Spectre.Console;

namespace MicroMoment.Cli;

/// <summary>Reads event logs into sessions and prints what was accepted and rejected.</summary>
internal static class DataInput
{
    /// <summary>Reads every file (REES46 CSV or YOOCHOOSE TSV, plain or gzip) and sessionizes them.</summary>
    /// <exception cref="NoUsableRowsException">No file had a usable row.</exception>
    public static (IReadOnlyList<Session> Sessions, IngestReport Report) Load(IReadOnlyList<FileInfo> files, TimeSpan timeout, IAnsiConsole console)
    {
        var report = new IngestReport();
        foreach (var file in files)
            if (!file.Exists) throw new FileNotFoundException($"Data file '{file.FullName}' does not exist.", file.FullName);

        IReadOnlyList<Session> sessions = [];
        console.Status().Start("Reading events", ctx =>
        {
            var events = files.SelectMany(f => EventLogReader.Read(f.FullName, report));
            sessions = Sessionizer.Sessionize(events, new SessionizerOptions { InactivityTimeout = timeout });
        });
        console.WriteLine(report.Summary());
        report.ThrowIfNoUsableRows();
        console.MarkupLineInterpolated($"[green]{sessions.Count:N0} sessions[/] ({sessions.Count(s => s.HasPurchase):N0} with a purchase, {sessions.Count(s => s.Censored):N0} cut off by the end of the log).");
        return (sessions, report);
    }
}
