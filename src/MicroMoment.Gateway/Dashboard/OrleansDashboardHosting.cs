using MicroMoment.Silo;
using Orleans.Dashboard;
using Orleans.Hosting;

namespace MicroMoment.Gateway.Dashboard;

/// <summary>
/// Hosting Microsoft.Orleans.Dashboard the way <c>micromoment serve</c> does: its services on the silo (with or without
/// its grain call profiling), and an Orleans client in the gateway's application that serves it at
/// <see cref="DashboardEndpoints.OrleansDashboardPath"/> behind the dashboard login
/// (<see cref="DashboardEndpoints.MapOrleansDashboardBehindLogin"/>).
/// </summary>
public static class OrleansDashboardHosting
{
    /// <summary>The full name of the dashboard's grain call filter that times every grain call while the dashboard is watched.</summary>
    internal const string ProfilerFilterType = "Orleans.Dashboard.Implementation.GrainProfilerFilter";

    /// <summary>
    /// Adds Orleans' dashboard to the silo. Without <paramref name="profiling"/> its grain call filter is left out: no
    /// grain call is timed, and the dashboard's per-method call counts and latencies stay empty (activations, silos and
    /// Orleans' meters are still shown).
    /// </summary>
    /// <exception cref="InvalidOperationException">The dashboard package no longer registers the filter this removes (a version this build does not know).</exception>
    public static ISiloBuilder AddOrleansDashboard(this ISiloBuilder silo, bool profiling)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.AddDashboard();
        if (profiling) return silo;
        var filters = silo.Services.Where(d => d.ServiceType == typeof(IIncomingGrainCallFilter) && d.ImplementationType?.FullName == ProfilerFilterType).ToList();
        if (filters.Count == 0)
        {
            throw new InvalidOperationException(
                $"Orleans' dashboard registered no grain call filter {ProfilerFilterType}, so its call profiling cannot be turned off; this build expects Microsoft.Orleans.Dashboard 10.4.2.");
        }

        foreach (var filter in filters) silo.Services.Remove(filter);
        return silo;
    }

    /// <summary>
    /// Runs an Orleans client in the gateway's application, connected to the single-process silo's client gateway on
    /// loopback port <paramref name="gatewayPort"/>, with the dashboard's client services (what
    /// <see cref="DashboardEndpoints.MapOrleansDashboardBehindLogin"/> serves).
    /// </summary>
    public static WebApplicationBuilder UseOrleansDashboardClient(this WebApplicationBuilder builder, int gatewayPort)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentOutOfRangeException.ThrowIfLessThan(gatewayPort, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(gatewayPort, 65_535);
        builder.UseOrleansClient(client =>
        {
            client.UseLocalhostClustering(gatewayPort, EmbeddedSilo.ServiceId, EmbeddedSilo.ClusterId);
            client.AddDashboard();
        });
        return builder;
    }
}
