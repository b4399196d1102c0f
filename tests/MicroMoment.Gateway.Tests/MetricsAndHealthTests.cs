using System.Net;
using System.Text.Json.Nodes;

namespace MicroMoment.Gateway.Tests;

public sealed class MetricsAndHealthTests : IAsyncLifetime
{
    private TestGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await TestGateway.StartAsync();

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    /// <summary>The value of <paramref name="series"/>, name{label="value",...}: the samples of that name carrying those labels (among others such as otel_scope_name).</summary>
    private static double Sample(string text, string series) =>
        Dashboard.PrometheusText.Value(text, series) ?? throw new Xunit.Sdk.XunitException($"No sample '{series}' in:\n{text}");

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
        Assert.Equal(1, Sample(text, "micromoment_gateway_event_drops_total{reason=\"unknown-type\"}"));
        Assert.Equal(1, Sample(text, "micromoment_gateway_signals_total{signal=\"dwell\"}"));
        // Request durations are ASP.NET Core's own instrument, by route, method and status.
        Assert.Equal(1, Sample(text, "http_server_request_duration_seconds_count{http_request_method=\"POST\",http_response_status_code=\"400\",http_route=\"/v1/events\",network_protocol_version=\"1.1\",url_scheme=\"http\"}"));
        Assert.Equal(1, Sample(text, "http_server_request_duration_seconds_count{http_request_method=\"POST\",http_response_status_code=\"200\",http_route=\"/v1/events\",network_protocol_version=\"1.1\",url_scheme=\"http\"}"));
        Assert.Contains("# TYPE kestrel_active_connections gauge", text);
        // The silo's meters, read through the same pipeline: the applied event and its duplicate, each timed.
        Assert.Equal(1, Sample(text, "micromoment_grain_events_total{status=\"accepted\"}"));
        Assert.Equal(1, Sample(text, "micromoment_grain_events_total{status=\"duplicate\"}"));
        Assert.Equal(2, Sample(text, "micromoment_grain_event_duration_seconds_count"));
        Assert.Equal(2, Sample(text, "micromoment_grain_event_duration_seconds_bucket{le=\"+Inf\"}"));
        Assert.Equal(1, Sample(text, "micromoment_grain_active"));
        Assert.Equal(0, Sample(text, "micromoment_grain_queue_depth"));
        Assert.Equal(1, Sample(text, "micromoment_silo_ready"));
        Assert.Equal(1, Sample(text, "micromoment_policy_info"));
        Assert.True(Sample(text, "micromoment_executor_rows_total") >= 1);
        // Orleans' own meter.
        Assert.Contains(text.Split('\n'), l => l.StartsWith("orleans_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OrleansMetricsCanBeLeftOut()
    {
        await using var gateway = await TestGateway.StartAsync(configure: o => o.Telemetry = new Telemetry.TelemetryOptions { OrleansMetrics = false });
        await Json.PostAsync(gateway.Server, "/v1/events", new JsonArray(Json.Event("u1", "e1")).ToJsonString());

        var text = await gateway.Server.GetStringAsync("/metrics");

        Assert.DoesNotContain(text.Split('\n'), l => l.StartsWith("orleans_", StringComparison.Ordinal));
        Assert.Equal(1, Sample(text, "micromoment_grain_events_total{status=\"accepted\"}"));
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
