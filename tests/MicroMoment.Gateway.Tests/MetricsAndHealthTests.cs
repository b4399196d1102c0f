using System.Net;
using System.Text.Json.Nodes;

namespace MicroMoment.Gateway.Tests;

public sealed class MetricsAndHealthTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await TestGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    private static double Sample(string text, string series)
    {
        var line = text.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"No sample '{series}' in:\n{text}");
        return double.Parse(line[(series.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task MetricsCountEventsByStatusDropsByReasonAndRequestLatency()
    {
        await Json.PostAsync(_gateway.Server, "/v1/events", new JsonArray(Json.Event("u1", "e1"), Json.Event("u1", "e1"), Json.Event("u1", "e2", "wishlist"), Json.Signal("u1", "s1", "dwell", 3)).ToJsonString());
        await Json.PostAsync(_gateway.Server, "/v1/events", "{broken");

        var response = await _gateway.Server.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, Sample(text, "micromoment_gateway_events_total{status=\"accepted\"}"));
        Assert.Equal(1, Sample(text, "micromoment_gateway_events_total{status=\"duplicate\"}"));
        Assert.Equal(1, Sample(text, "micromoment_gateway_events_total{status=\"rejected\"}"));
        Assert.Equal(1, Sample(text, "micromoment_gateway_drops_total{reason=\"unknown-type\"}"));
        Assert.Equal(1, Sample(text, "micromoment_gateway_signals_total{signal=\"dwell\"}"));
        Assert.Equal(1, Sample(text, "micromoment_gateway_http_request_duration_seconds_count{route=\"/v1/events\",method=\"POST\",status=\"400\"}"));
        Assert.Equal(1, Sample(text, "micromoment_gateway_http_request_duration_seconds_bucket{route=\"/v1/events\",method=\"POST\",status=\"200\",le=\"+Inf\"}"));
        Assert.Equal(1, Sample(text, "micromoment_silo_ready"));
        Assert.Equal(1, Sample(text, "micromoment_silo_events_accepted_total"));
        Assert.Equal(0, Sample(text, "micromoment_silo_queue_depth"));
        Assert.Contains("# TYPE micromoment_silo_processing_seconds histogram", text);
        Assert.Equal(2, Sample(text, "micromoment_silo_processing_seconds_bucket{le=\"+Inf\"}")); // the applied event and its duplicate
    }

    [Fact]
    public async Task ReadyzFollowsTheSilo()
    {
        var ready = await _gateway.Anonymous.GetAsync("/readyz");
        ((RecordingSilo)_gateway.Silo).ReadyOverride = false;
        var notReady = await _gateway.Anonymous.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains(BundledModel.Model.Info.Version, await ready.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
    }

    [Fact]
    public async Task TrackerAndDemoAreServedAndTheDemoCarriesThePublishableKeyOnly()
    {
        var tracker = await _gateway.Anonymous.GetAsync("/tracker.js");
        var script = await tracker.Content.ReadAsStringAsync();
        var demo = await (await _gateway.Anonymous.GetAsync("/demo")).Content.ReadAsStringAsync();

        Assert.Equal("text/javascript", tracker.Content.Headers.ContentType?.MediaType);
        Assert.Contains("global.MicroMoment", script);
        Assert.Contains("/v1/stream?key=", script);
        Assert.Contains(TestGateway.PublishableKey, demo);
        Assert.DoesNotContain(TestGateway.ServerKey, demo);
        Assert.Contains("src=\"/tracker.js\"", demo);
    }
}
