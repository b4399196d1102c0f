using System.CommandLine;
using MicroMoment.Artifacts;
using MicroMoment.Cli.Cluster;
using MicroMoment.Gateway;
using MicroMoment.Scoring;
using Microsoft.Extensions.Configuration;
using Spectre.Console;

namespace MicroMoment.Cli.Commands;

/// <summary>
/// <c>micromoment gateway</c>: the stateless HTTP/WebSocket gateway, demo shop and dashboards of a MicroMoment cluster,
/// an Orleans client of its silos; configured like <c>micromoment silo</c> (docs/cluster.md).
/// </summary>
internal static class GatewayCommand
{
    public static Command Create()
    {
        var command = new Command("gateway", "Run the HTTP/WebSocket gateway, demo and dashboards of a MicroMoment cluster as an Orleans client of its silos (configuration as for silo; see docs/cluster.md)")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction((ParseResult parse, CancellationToken ct) => RunAsync(AnsiConsole.Console, ClusterConfiguration.Build(parse.UnmatchedTokens), ct));
        return command;
    }

    /// <summary>Runs the gateway until <paramref name="cancellationToken"/> is cancelled; returns the exit code.</summary>
    internal static async Task<int> RunAsync(IAnsiConsole console, IConfiguration configuration, CancellationToken cancellationToken)
    {
        var keys = new KeyChoice(
            KeyChoice.FromEnvironment(ServeCommand.ServerKeyVariable), KeyChoice.FromEnvironment(ServeCommand.PublishableKeyVariable), Events.ClickEvent.DefaultTenant);
        GatewayHost gateway;
        try
        {
            console.MarkupLine("Connecting to the cluster's silos (the gateway waits until one answers).");
            gateway = await GatewayProcess.StartAsync(configuration, keys.Apply, builder => ServeCommand.ConfigureLogging(builder.Logging, ConsoleStyle.UseColor()), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ExitCodes.ForStartFailure(ex) is int code)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return code;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
        catch (Exception ex)
        {
            // The Orleans client could not start (the membership store did not answer): say so and stop, as a silo does.
            console.MarkupLineInterpolated($"[red]error:[/] the gateway did not start: {ex.GetBaseException().Message}");
            return ExitCodes.ClusterUnavailable;
        }

        await using (gateway.ConfigureAwait(false))
        {
            var root = gateway.BaseAddress;
            console.MarkupLineInterpolated($"Gateway:  [bold]{root}[/]  (POST {root}v1/events, WebSocket {new UriBuilder(root) { Scheme = root.Scheme == "https" ? "wss" : "ws" }.Uri}v1/stream)");
            console.MarkupLineInterpolated($"Dashboard: [bold]{root}dashboard[/] (log in with the server key); Orleans: {root}orleans");
            console.MarkupLineInterpolated($"Health:   {root}healthz, {root}readyz");
            keys.Print(console, gateway.Options);

            console.MarkupLine("Press [bold]Ctrl+C[/] to stop.");
            try
            {
                await gateway.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        return ExitCodes.Success;
    }
}
