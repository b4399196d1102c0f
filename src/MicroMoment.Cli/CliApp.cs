using System.CommandLine;
using MicroMoment.Cli.Commands;

namespace MicroMoment.Cli;

/// <summary>The micromoment command line: one sub-command per job.</summary>
public static class CliApp
{
    /// <summary>
    /// How long a command may take to finish after Ctrl+C or SIGTERM before the process is ended anyway. A silo hands its
    /// grains over and each writes its state (its host allows 30 s for that); System.CommandLine's default of 2 s cut that
    /// short and lost checkpointed state. Below the 60 s grace period of deploy/kubernetes/silo.yaml.
    /// </summary>
    public static readonly TimeSpan TerminationGrace = TimeSpan.FromSeconds(50);

    /// <summary>Parses and runs the command line; returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args)
    {
        // Escape codes only on a terminal, colour only without NO_COLOR: a log written to a file stays plain text.
        Spectre.Console.AnsiConsole.Console = ConsoleStyle.CreateConsole(Console.Out, Console.IsOutputRedirected, Environment.GetEnvironmentVariable(ConsoleStyle.NoColorVariable));
        var root = new RootCommand("MicroMoment: detect high-intent micro-moments in e-commerce clickstreams and act on them.");
        root.Subcommands.Add(QuickstartCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(SiloCommand.Create());
        root.Subcommands.Add(GatewayCommand.Create());
        root.Subcommands.Add(ReplayCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        root.Subcommands.Add(SimulatePolicyCommand.Create());
        root.Subcommands.Add(ExportOnnxCommand.Create());
        return root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TerminationGrace });
    }
}
