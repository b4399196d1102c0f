using System.CommandLine;
using System.Globalization;
using MicroMoment.Cli.Traffic;
using MicroMoment.Client;
using Spectre.Console;

namespace MicroMoment.Cli.Commands;

/// <summary>
/// <c>micromoment simulate</c>: drives clearly labelled SYNTHETIC shoppers through a running gateway's WebSocket stream
/// at a steady rate and reports event-to-ack and event-to-offer latency.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var target = CommonOptions.Target();
        var key = CommonOptions.Key();
        var users = new Option<int>("--users") { Description = "Synthetic shoppers", DefaultValueFactory = _ => 10_000 };
        var rate = new Option<double>("--rate") { Description = "Events per second, steadily", DefaultValueFactory = _ => 1_000 };
        var duration = new Option<double>("--duration") { Description = "Seconds to send", DefaultValueFactory = _ => 30 };
        var connections = new Option<int>("--connections") { Description = "WebSocket connections", DefaultValueFactory = _ => 8 };
        var seed = new Option<long>("--seed") { Description = "Seed of the synthetic traffic", DefaultValueFactory = _ => 1 };
        var command = new Command("simulate", "Send SYNTHETIC shoppers through a running gateway's WebSocket at a steady rate and measure latency");
        foreach (var o in new Option[] { target, key, users, rate, duration, connections, seed }) command.Options.Add(o);
        command.SetAction((ParseResult parse, CancellationToken ct) =>
        {
            var console = AnsiConsole.Console;
            if (!CommonOptions.TryGetGateway(console, parse, target, key, out var gateway, out var secret)) return Task.FromResult(ExitCodes.BadInput);
            return RunAsync(console, new SimulationOptions
            {
                Target = gateway,
                Key = secret,
                Users = parse.GetValue(users),
                Rate = parse.GetValue(rate),
                Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
                Connections = parse.GetValue(connections),
                Seed = parse.GetValue(seed),
            }, ct);
        });
        return command;
    }

    internal static async Task<int> RunAsync(IAnsiConsole console, SimulationOptions options, CancellationToken cancellationToken)
    {
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException ex)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.BadInput;
        }
        console.MarkupLineInterpolated($"[yellow]SYNTHETIC traffic[/] (MicroMoment.Data.SyntheticTraffic, seed {options.Seed}): {options.Users:N0} generated shoppers, {options.Rate:N0} events/s for {options.Duration.TotalSeconds:0.#} s over {options.Connections} WebSocket connections to [bold]{options.Target}[/]. Numbers describe the gateway under generated load, not real shoppers.");
        SimulationReport report;
        try
        {
            report = await console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("simulate: events sent", maxValue: Math.Max(1, options.Rate * options.Duration.TotalSeconds));
                    return await SimulationRunner.RunAsync(options, new ProgressTaskReporter(task), cancellationToken).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }
        catch (MicroMomentApiException ex)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.GatewayError;
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Net.WebSockets.WebSocketException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] could not reach the gateway at {options.Target}: {ex.Message}. Is 'micromoment serve' running?");
            return ExitCodes.GatewayError;
        }
        var table = new Table().Title("Simulation (SYNTHETIC traffic)");
        table.AddColumns("measure", "value");
        table.AddRow("events sent", report.Sent.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("achieved rate", $"{report.AchievedRate:N0} events/s (asked {options.Rate:N0})");
        table.AddRow("accepted", report.Accepted.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("not accepted", report.NotAccepted.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("rate-limited messages, sent again", report.RateLimited.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("offers fired", report.Offers.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("event → ack", Markup.Escape(report.AckLatency.Describe()));
        table.AddRow("event → offer on the stream", Markup.Escape(report.OfferLatency.Describe()));
        console.Write(table);
        if (report.Exhausted) console.MarkupLine("[yellow]The synthetic traffic ran out before the duration; use more --users.[/]");
        return ExitCodes.Success;
    }
}
