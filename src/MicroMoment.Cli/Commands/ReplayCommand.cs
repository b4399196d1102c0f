using System.CommandLine;
using System.Globalization;
using MicroMoment.Cli.Traffic;
using MicroMoment.Client;
using MicroMoment.Data;
using Spectre.Console;

namespace MicroMoment.Cli.Commands;

/// <summary>
/// <c>micromoment replay</c>: streams a real log through a running gateway in event-time order (paced or as fast as it
/// answers) with a progress bar, then prints events/s, request latency percentiles and the offers fired.
/// </summary>
internal static class ReplayCommand
{
    public static Command Create()
    {
        var data = CommonOptions.Data();
        var target = CommonOptions.Target();
        var key = CommonOptions.Key();
        var speed = new Option<string>("--speed") { Description = "Event-time speed-up, e.g. 60x (a minute of log per second), or max", DefaultValueFactory = _ => "max" };
        var batch = new Option<int>("--batch") { Description = "Events per request", DefaultValueFactory = _ => 500 };
        var concurrency = new Option<int>("--concurrency") { Description = "Requests in flight (each shopper stays on one lane, so their order holds)", DefaultValueFactory = _ => 4 };
        var shift = new Option<bool>("--shift-to-now") { Description = "Move timestamps by whole days so the log ends today (for gateways that reject events older than 7 days)" };
        var acceptPartial = CommonOptions.AcceptPartial();
        var command = new Command("replay", "Stream a real event log through a running gateway in event-time order and measure it");
        foreach (var o in new Option[] { data, target, key, speed, batch, concurrency, shift, acceptPartial }) command.Options.Add(o);
        command.SetAction((ParseResult parse, CancellationToken ct) =>
        {
            var console = AnsiConsole.Console;
            if (!ReplayOptions.TryParseSpeed(parse.GetValue(speed)!, out var factor, out var error))
            {
                console.MarkupLineInterpolated($"[red]error:[/] {error}");
                return Task.FromResult(ExitCodes.BadInput);
            }
            if (!CommonOptions.TryGetGateway(console, parse, target, key, out var gateway, out var secret)) return Task.FromResult(ExitCodes.BadInput);
            var options = new ReplayOptions { Target = gateway, Key = secret, Speed = factor, BatchSize = parse.GetValue(batch), Concurrency = parse.GetValue(concurrency) };
            return RunAsync(console, parse.GetValue(data)!, options, parse.GetValue(shift), ct, parse.GetValue(acceptPartial));
        });
        return command;
    }

    internal static async Task<int> RunAsync(IAnsiConsole console, IReadOnlyList<FileInfo> files, ReplayOptions options, bool shiftToNow, CancellationToken cancellationToken, bool acceptPartial = false)
    {
        if (options.BatchSize < 1 || options.Concurrency < 1)
        {
            console.MarkupLineInterpolated($"[red]error:[/] --batch and --concurrency must be at least 1; got {options.BatchSize} and {options.Concurrency}.");
            return ExitCodes.BadInput;
        }
        ReplayLog log;
        try
        {
            log = console.Status().Start("Reading and ordering events", _ => ReplayLog.Load(files, shiftToNow, DateTime.UtcNow));
        }
        catch (Exception ex) when (ex is NoUsableRowsException or FileNotFoundException or InvalidDataException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.BadInput;
        }
        console.WriteLine(log.Report.Summary());
        try
        {
            DataInput.RequireComplete(log.Report, acceptPartial, console);
        }
        catch (IncompleteInputException ex)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.BadInput;
        }
        if (log.Events.Length == 0)
        {
            console.MarkupLine("[red]error:[/] the log has no events the wire carries (view, cart, remove_from_cart, purchase).");
            return ExitCodes.BadInput;
        }
        var span = log.Events[^1].Timestamp!.Value - log.Events[0].Timestamp!.Value;
        console.MarkupLineInterpolated($"Replaying [bold]{log.Events.Length:N0}[/] events ({span.TotalHours:0.#} h of event time) to [bold]{options.Target}[/] at {(options.Speed is { } s ? s.ToString("0.##", CultureInfo.InvariantCulture) + "x" : "max speed")}, {options.Concurrency} lanes of {options.BatchSize}-event batches.");
        if (log.Skipped > 0) console.MarkupLineInterpolated($"[yellow]{log.Skipped:N0} events of other types are not sent (the wire carries view, cart, remove_from_cart and purchase).[/]");
        if (log.Shift != TimeSpan.Zero) console.MarkupLineInterpolated($"Timestamps shifted by {log.Shift.TotalDays:N0} days (gaps and hours of day kept).");

        ReplayReport report;
        try
        {
            report = await console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("replay: events answered", maxValue: log.Events.Length);
                    return await ReplayRunner.RunAsync(log, options, new ProgressTaskReporter(task), cancellationToken: cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }
        catch (MicroMomentApiException ex)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.GatewayError;
        }
        catch (HttpRequestException ex)
        {
            console.MarkupLineInterpolated($"[red]error:[/] could not reach the gateway at {options.Target}: {ex.Message}. Is 'micromoment serve' running?");
            return ExitCodes.GatewayError;
        }
        Print(console, report);
        if (report.Rejected.TryGetValue("timestamp-too-old", out var old) && old > 0)
            console.MarkupLineInterpolated($"[yellow]{old:N0} events were older than the gateway accepts: run 'serve --accept-historical', or replay with --shift-to-now.[/]");
        return ExitCodes.Success;
    }

    private static void Print(IAnsiConsole console, ReplayReport report)
    {
        var table = new Table().Title("Replay");
        table.AddColumns("measure", "value");
        table.AddRow("events", report.Events.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("accepted", report.Accepted.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("duplicates (already applied)", report.Duplicates.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("rejected", report.RejectedTotal == 0 ? "0" : string.Join(", ", report.Rejected.OrderByDescending(p => p.Value).Select(p => $"{p.Key}: {p.Value:N0}")));
        table.AddRow("opted out", report.OptedOut.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("overloaded, sent again", report.OverloadRetries.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("rate-limited requests, sent again", report.RateLimitRetries.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("offers fired", report.OffersFired.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("wall time", $"{report.Elapsed.TotalSeconds:0.00} s");
        table.AddRow("events/s", report.EventsPerSecond.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("requests", report.Requests.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("request latency", Markup.Escape(report.RequestLatency.Describe()));
        console.Write(table);
    }
}
