using System.Text.Json.Nodes;
using MicroMoment.Events;
using MicroMoment.Gateway.Dashboard;
using MicroMoment.Gateway.Metrics;
using MicroMoment.Silo;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MicroMoment.Gateway.Tests.Dashboard;

/// <summary>The dashboard sampler's rates on an injected clock: exact per-second figures, no sleeping between samples.</summary>
public sealed class DashboardSamplerClockTests
{
    [Fact]
    public async Task RatesAreTheCountsBetweenTwoSamplesOverTheInjectedClocksInterval()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var silo = await RecordingSilo.StartAsync(time: clock);
        using var metrics = new GatewayMetrics();
        var sampler = new DashboardSampler(silo, metrics, clock, Options.Create(new GatewayOptions()), new DashboardFeatures());

        var first = JsonNode.Parse(sampler.Sample())!;
        Assert.Null(first["eventsPerSec"]); // no interval yet
        var at = clock.GetUtcNow().UtcDateTime;
        var outcomes = await silo.IngestAsync([.. Enumerable.Range(0, 5).Select(i => new ClickEvent("t", $"rate-{i}", at, EventType.View, 1, 2, null, null, 10f, EventId: $"r{i}"))]);
        Assert.All(outcomes, o => Assert.Equal(IngestStatus.Accepted, o.Status));
        clock.Advance(TimeSpan.FromSeconds(2));
        var second = JsonNode.Parse(sampler.Sample())!;

        // Five events in two seconds of the sampler's clock, however long the ingest took on the wall clock.
        Assert.Equal(2.5, second["eventsPerSec"]!.GetValue<double>());
        Assert.Equal(2.5, second["acceptedPerSec"]!.GetValue<double>());
        Assert.Equal(0, second["offersPerSec"]!.GetValue<double>());
        Assert.Equal(clock.GetUtcNow().ToUnixTimeMilliseconds(), second["t"]!.GetValue<long>());

        clock.Advance(TimeSpan.FromSeconds(4));
        var third = JsonNode.Parse(sampler.Sample())!;
        Assert.Equal(0, third["eventsPerSec"]!.GetValue<double>()); // nothing came in over the next four seconds
    }
}
