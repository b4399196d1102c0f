using System.CommandLine;
using Spectre.Console;

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

    /// <summary>Go on with the rows read from a log whose gzip data did not end cleanly.</summary>
    public static Option<bool> AcceptPartial() => new("--accept-partial")
    {
        Description = "Go on with the rows read from a truncated or corrupt gzip log (without it, such a log stops the command with exit code 2)",
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

    /// <summary>A server key of the gateway.</summary>
    public static Option<string?> Key() => new("--key") { Description = $"A server key of the gateway (default: ${ServeCommand.ServerKeyVariable})" };

    /// <summary>
    /// Reads --target and --key (falling back to the environment's server key); on a bad address or no key,
    /// prints what was wrong and what is expected and returns false.
    /// </summary>
    public static bool TryGetGateway(IAnsiConsole console, ParseResult parse, Option<string> target, Option<string?> key, out Uri gateway, out string secret)
    {
        secret = string.Empty;
        if (!TryParseTarget(parse.GetValue(target)!, out gateway, out var targetError))
        {
            console.MarkupLineInterpolated($"[red]error:[/] {targetError}");
            return false;
        }
        var value = parse.GetValue(key) ?? Environment.GetEnvironmentVariable(ServeCommand.ServerKeyVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            console.MarkupLineInterpolated($"[red]error:[/] no key: pass --key (the server key 'serve' printed) or set {ServeCommand.ServerKeyVariable}.");
            return false;
        }
        secret = value;
        return true;
    }
}
