using System.CommandLine;
using MicroMoment.Artifacts;
using MicroMoment.Cli.Cluster;
using MicroMoment.Silo;
using MicroMoment.Scoring;
using MicroMoment.Silo.Execution;
using MicroMoment.Silo.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Spectre.Console;

namespace MicroMoment.Cli.Commands;

/// <summary>
/// <c>micromoment silo</c>: one silo of a MicroMoment cluster (grains, executor, Orleans ports, /healthz, /readyz,
/// /metrics), configured through appsettings.json, MICROMOMENT__ environment variables and --Section:Key=value
/// arguments (docs/cluster.md); runs until Ctrl+C or SIGTERM, then hands its grains to the other silos.
/// </summary>
internal static class SiloCommand
{
    public static Command Create()
    {
        var command = new Command("silo", "Run one silo of a MicroMoment cluster (configuration: appsettings.json, MICROMOMENT__Section__Key environment variables, --Section:Key=value; see docs/cluster.md)")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        command.SetAction((ParseResult parse, CancellationToken ct) => RunAsync(AnsiConsole.Console, ClusterConfiguration.Build(parse.UnmatchedTokens), ct));
        return command;
    }

    /// <summary>Runs the silo until <paramref name="cancellationToken"/> is cancelled; returns the exit code.</summary>
    internal static async Task<int> RunAsync(IAnsiConsole console, IConfiguration configuration, CancellationToken cancellationToken)
    {
        WebApplication app;
        try
        {
            app = await SiloProcess.StartAsync(
                configuration, builder => ServeCommand.ConfigureLogging(builder.Logging, ConsoleStyle.UseColor()), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ExitCodes.ForStartFailure(ex) is int code)
        {
            console.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return code;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Orleans could not join the cluster (membership store unreachable, ports taken): say so and stop.
            console.MarkupLineInterpolated($"[red]error:[/] the silo did not start: {ex.GetBaseException().Message}");
            return ExitCodes.ClusterUnavailable;
        }

        await using (app.ConfigureAwait(false))
        {
            var cluster = ClusterConfiguration.Cluster(configuration);
            var local = app.Services.GetRequiredService<Orleans.Runtime.ILocalSiloDetails>();
            string http = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "?";
            console.MarkupLineInterpolated($"Silo:     [bold]{local.SiloAddress}[/] (cluster {cluster.ClusterId}, service {cluster.ServiceId}, membership {cluster.ProviderName})");
            console.MarkupLineInterpolated($"Orleans gateway: [bold]{local.GatewayAddress}[/]");
            console.MarkupLineInterpolated($"Health:   {http}/healthz, {http}/readyz, {http}/metrics");
            console.MarkupLine("Press [bold]Ctrl+C[/] to stop.");
            try
            {
                await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            console.MarkupLine("Stopping: handing the grains over (each writes its state).");
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }
}
