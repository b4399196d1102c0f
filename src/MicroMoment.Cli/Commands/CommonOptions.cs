using System.CommandLine;

namespace MicroMoment.Cli.Commands;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    /// <summary>One or more event logs.</summary>
    public static Option<FileInfo[]> Data() => new("--data")
    {
        Description = "Event log(s): REES46 CSV or YOOCHOOSE TSV, plain or .gz",
        Required = true,
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>Inactivity that ends a session, in minutes.</summary>
    public static Option<double> SessionTimeoutMinutes() => new("--session-timeout")
    {
        Description = "Minutes of inactivity that end a session",
        DefaultValueFactory = _ => 30,
    };
}
