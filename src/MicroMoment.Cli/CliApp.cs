using System.CommandLine;

namespace MicroMoment.Cli;

/// <summary>The micromoment command line: one sub-command per job.</summary>
public static class CliApp
{
    /// <summary>Parses and runs the command line; returns the process exit code.</summary>
    public static Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("MicroMoment: detect high-intent micro-moments in e-commerce clickstreams.");
        return root.Parse(args).InvokeAsync();
    }
}
