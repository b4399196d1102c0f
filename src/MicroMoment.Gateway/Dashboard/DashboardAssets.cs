using System.Collections.Concurrent;

namespace MicroMoment.Gateway.Dashboard;

/// <summary>The dashboard's page, script and style sheet, embedded in the assembly (no network access needed).</summary>
internal static class DashboardAssets
{
    private static readonly ConcurrentDictionary<string, byte[]> Cache = new(StringComparer.Ordinal);

    /// <summary>The embedded file <paramref name="name"/> from Dashboard/Assets.</summary>
    /// <exception cref="InvalidOperationException">The build did not embed it.</exception>
    public static byte[] Get(string name) => Cache.GetOrAdd(name, static n =>
    {
        var assembly = typeof(DashboardAssets).Assembly;
        using var stream = assembly.GetManifestResourceStream("MicroMoment.Gateway.Dashboard." + n)
            ?? throw new InvalidOperationException($"The embedded resource 'Dashboard/Assets/{n}' is missing from {assembly.GetName().Name}; the build must embed it.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });
}
