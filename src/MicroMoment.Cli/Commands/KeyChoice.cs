using MicroMoment.Gateway;
using Spectre.Console;

namespace MicroMoment.Cli.Commands;

/// <summary>
/// Which keys a gateway started from the command line (<c>serve</c>, <c>gateway</c>) runs with: keys given on the
/// command line or in the environment win; then keys from configuration (<c>Gateway:Keys</c>); whatever kind is still
/// missing is generated for this run and printed as such.
/// </summary>
internal sealed class KeyChoice
{
    private readonly List<GatewayKey> _explicit = [];
    private readonly List<GatewayKey> _generated = [];
    private bool _usedGenerated;

    /// <param name="serverKey">The server key given, or null.</param>
    /// <param name="publishableKey">The publishable key given, or null.</param>
    /// <param name="tenant">The tenant of the given and generated keys.</param>
    public KeyChoice(string? serverKey, string? publishableKey, string tenant)
    {
        if (serverKey is not null) _explicit.Add(new GatewayKey { Key = serverKey, Tenant = tenant, Kind = GatewayKeyKind.Server });
        if (publishableKey is not null) _explicit.Add(new GatewayKey { Key = publishableKey, Tenant = tenant, Kind = GatewayKeyKind.Publishable });
        if (serverKey is null) _generated.Add(GatewayKey.Generate(GatewayKeyKind.Server, tenant));
        if (publishableKey is null) _generated.Add(GatewayKey.Generate(GatewayKeyKind.Publishable, tenant));
    }

    /// <summary>The variable's value, or null when it is unset or blank.</summary>
    public static string? FromEnvironment(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>Sets <paramref name="options"/>' keys unless configuration named keys and none were given explicitly.</summary>
    public void Apply(GatewayOptions options)
    {
        if (_explicit.Count == 0 && options.Keys.Count > 0) return;
        options.Keys = [.. _explicit, .. _generated];
        _usedGenerated = _generated.Count > 0;
    }

    /// <summary>Prints the keys the gateway runs with, marking generated ones, and how to keep them.</summary>
    public void Print(IAnsiConsole console, GatewayOptions options)
    {
        foreach (var key in options.Keys)
        {
            var label = key.Kind == GatewayKeyKind.Server ? "Server key:     " : "Publishable key:";
            var note = _usedGenerated && _generated.Contains(key) ? " [yellow]generated for this run[/]" : "";
            console.MarkupLine($"{label} [bold]{Markup.Escape(key.Key)}[/] (tenant {Markup.Escape(key.Tenant)}){note}");
        }

        if (_usedGenerated)
            console.MarkupLineInterpolated($"[grey]Generated keys change at every start; set {ServeCommand.ServerKeyVariable} / {ServeCommand.PublishableKeyVariable} to keep them.[/]");
    }
}
