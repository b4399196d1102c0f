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

    /// <summary>The gateway to send to.</summary>
    public static Option<string> Target() => new("--target") { Description = "The gateway, e.g. http://127.0.0.1:5080", Required = true };

    /// <summary>Parses a gateway address, naming what is expected when it is not one.</summary>
    public static bool TryParseTarget(string text, out Uri target, out string? error)
    {
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            target = uri;
            error = null;
            return true;
        }
        target = null!;
        error = $"--target '{text}' is not a gateway address; expected an absolute http(s) URL such as http://127.0.0.1:5080.";
        return false;
    }
}
