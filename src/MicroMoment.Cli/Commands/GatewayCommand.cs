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
        string? serverKey = NonEmpty(Environment.GetEnvironmentVariable(ServeCommand.ServerKeyVariable));
        string? publishableKey = NonEmpty(Environment.GetEnvironmentVariable(ServeCommand.PublishableKeyVariable));
        var generated = new List<GatewayKey>();
        GatewayHost gateway;
        try
        {
            console.MarkupLine("Connecting to the cluster's silos (the gateway waits until one answers).");
            gateway = await GatewayProcess.StartAsync(configuration, o =>
            {
                // As for serve: keys from the environment win, then configuration (Gateway:Keys); what is missing is generated.
                var explicitKeys = new List<GatewayKey>();
                if (serverKey is not null) explicitKeys.Add(new GatewayKey { Key = serverKey, Tenant = Events.ClickEvent.DefaultTenant, Kind = GatewayKeyKind.Server });
                if (publishableKey is not null) explicitKeys.Add(new GatewayKey { Key = publishableKey, Tenant = Events.ClickEvent.DefaultTenant, Kind = GatewayKeyKind.Publishable });
                if (explicitKeys.Count > 0 || o.Keys.Count == 0)
                {
                    if (serverKey is null) generated.Add(GatewayKey.Generate(GatewayKeyKind.Server, Events.ClickEvent.DefaultTenant));
                    if (publishableKey is null) generated.Add(GatewayKey.Generate(GatewayKeyKind.Publishable, Events.ClickEvent.DefaultTenant));
                    o.Keys = [.. explicitKeys, .. generated];
                }
            }, builder => ServeCommand.ConfigureLogging(builder.Logging, ConsoleStyle.UseColor()), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ModelFormatException or FileNotFoundException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.BadModel;
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or IOException or Silo.Triggers.PolicyException)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Success;
        }

        await using (gateway.ConfigureAwait(false))
        {
            var root = gateway.BaseAddress;
            console.MarkupLineInterpolated($"Gateway:  [bold]{root}[/]  (POST {root}v1/events, WebSocket {new UriBuilder(root) { Scheme = root.Scheme == "https" ? "wss" : "ws" }.Uri}v1/stream)");
            console.MarkupLineInterpolated($"Dashboard: [bold]{root}dashboard[/] (log in with the server key); Orleans: {root}orleans");
            console.MarkupLineInterpolated($"Health:   {root}healthz, {root}readyz");
            foreach (var key in gateway.Options.Keys)
            {
                var label = key.Kind == GatewayKeyKind.Server ? "Server key:     " : "Publishable key:";
                var note = generated.Contains(key) ? " [yellow]generated for this run[/]" : "";
                console.MarkupLine($"{label} [bold]{Markup.Escape(key.Key)}[/] (tenant {Markup.Escape(key.Tenant)}){note}");
            }

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

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
