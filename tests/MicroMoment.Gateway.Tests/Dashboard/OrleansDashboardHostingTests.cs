using MicroMoment.Gateway.Dashboard;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;

namespace MicroMoment.Gateway.Tests.Dashboard;

/// <summary>Orleans' dashboard on the silo with its grain call profiling off (the default of <c>serve</c>) or on.</summary>
public sealed class OrleansDashboardHostingTests
{
    private static List<string?> CallFilters(bool profiling)
    {
        var silo = new Builder();
        silo.AddOrleansDashboard(profiling);
        return silo.Services.Where(d => d.ServiceType == typeof(IIncomingGrainCallFilter)).Select(d => d.ImplementationType?.FullName).ToList();
    }

    [Fact]
    public void WithoutProfilingNoGrainCallIsTimedAndWithItTheDashboardsFilterStays()
    {
        Assert.DoesNotContain(OrleansDashboardHosting.ProfilerFilterType, CallFilters(profiling: false));
        Assert.Contains(OrleansDashboardHosting.ProfilerFilterType, CallFilters(profiling: true));
    }

    private sealed class Builder : ISiloBuilder
    {
        public IServiceCollection Services { get; } = new ServiceCollection();

        public IConfiguration Configuration { get; } = new ConfigurationBuilder().Build();
    }
}
