using System.Net;
using System.Text.Json.Nodes;
using MicroMoment.Silo;

namespace MicroMoment.Gateway.Tests;

public sealed class AlertsApiTests
{
    [Fact]
    public async Task LatencyAlertAboveItsLimitShowsInAlertsMetricsAndTheDashboardSnapshot()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mm-gw-alerts-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "policy.yaml");
            // 1 µs: any event-to-decision latency is above it; 1000 offers per session is never reached.
            await File.WriteAllTextAsync(path, """
                version: a1
                monitoring: { maxTriggerLatency: 0.001ms, maxOffersPerSession: 1000, minOffers: 0 }
                rules:
                  - { name: never, intent: buy, offer: popup, thresholds: { default: 1 } }
                """);
            await using var gateway = await TestGateway.StartAsync(await RecordingSilo.StartAsync(new SiloOptions { PolicyPath = path }));

            var (_, quiet) = await Json.GetAsync(gateway.Server, "/v1/alerts");
            Assert.Empty(quiet!["firing"]!.AsArray());
            Assert.Equal(900, (double)quiet["windowSeconds"]!);

            await Json.PostAsync(gateway.Server, "/v1/events", new JsonArray(Json.Event("u", "e1")).ToJsonString());
            var (response, body) = await Json.GetAsync(gateway.Server, "/v1/alerts");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(["trigger-latency-p99"], body!["firing"]!.AsArray().Select(n => (string?)n));
            var latency = body["alerts"]!.AsArray().Single(a => (string?)a!["name"] == "trigger-latency-p99")!;
            Assert.True((double)latency["observed"]! > 1e-6);
            Assert.Equal("a1", (string?)body["policyVersion"]);

            var metrics = await gateway.Server.GetStringAsync("/metrics");
            Assert.Equal(1, Dashboard.PrometheusText.Value(metrics, "micromoment_alert_firing{name=\"trigger-latency-p99\"}"));
            Assert.Equal(0, Dashboard.PrometheusText.Value(metrics, "micromoment_alert_firing{name=\"offers-per-session\"}"));
            Assert.Null(Dashboard.PrometheusText.Value(metrics, "micromoment_alert_observed{name=\"offers-per-session\"}")); // no data: no value
            Assert.True(Dashboard.PrometheusText.Value(metrics, "micromoment_alert_observed{name=\"trigger-latency-p99\"}") > 1e-6);
            Assert.Equal(1e-6, Dashboard.PrometheusText.Value(metrics, "micromoment_alert_limit{name=\"trigger-latency-p99\"}")!.Value, 12);

            // The dashboard's snapshot is sampled every refresh interval: wait (bounded) for one taken after the event.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (true)
            {
                var (_, snapshot) = await Json.GetAsync(gateway.Server, "/dashboard/api/snapshot");
                if (snapshot!["alerts"]!.AsArray().Any(a => (string?)a!["name"] == "trigger-latency-p99" && (bool)a["firing"]!)) break;
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), "No dashboard snapshot with the firing latency alert within 15 s.");
                await Task.Delay(50);
            }

            using var publishable = gateway.Client(TestGateway.PublishableKey);
            Assert.Equal(HttpStatusCode.Forbidden, (await publishable.GetAsync("/v1/alerts")).StatusCode);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
