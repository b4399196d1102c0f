using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using MicroMoment.Silo;

namespace MicroMoment.Gateway.Tests;

public sealed class PolicyAndExperimentsApiTests : IAsyncLifetime
{
    private const string Policy = """
        version: x1
        maxOffersPerSession: 100
        rules:
          - { name: always, intent: buy, offer: recommendation, thresholds: { default: 0.000001 } }
        experiments:
          - { name: nudge, holdout: 0.3, variants: [ { name: on } ] }
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mm-gw-policy-" + Guid.NewGuid().ToString("N"));
    private string _path = "";
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _path = Path.Combine(_dir, "policy.yaml");
        await File.WriteAllTextAsync(_path, Policy);
        var silo = await RecordingSilo.StartAsync(new SiloOptions { PolicyPath = _path, PolicyPollInterval = TimeSpan.FromMilliseconds(200) });
        _gateway = await TestGateway.StartAsync(silo);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (clock.Elapsed > TimeSpan.FromSeconds(15)) throw new TimeoutException($"Waited 15 s for {what}; last: {value}.");
            await Task.Delay(20);
        }
    }

    /// <summary>Replaces the policy file in one rename, as deployment tools do, so the watcher never sees it half-written.</summary>
    private async Task ReplaceAsync(string content)
    {
        var temporary = _path + ".tmp";
        await File.WriteAllTextAsync(temporary, content);
        File.Move(temporary, _path, overwrite: true);
    }

    [Fact]
    public async Task PolicyRouteGivesTheRunningPolicyAndAFailedReloadShowsInItAndInMetrics()
    {
        var (response, body) = await Json.GetAsync(_gateway.Server, "/v1/policy");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("x1", (string?)body!["version"]);
        Assert.Equal(_path, (string?)body["source"]);
        Assert.Equal("always", (string?)body["rules"]![0]!["name"]);
        Assert.Equal("nudge", (string?)body["experiments"]![0]);
        Assert.Null(body["lastError"]);

        using var publishable = _gateway.Client(TestGateway.PublishableKey);
        Assert.Equal(HttpStatusCode.Forbidden, (await publishable.GetAsync("/v1/policy")).StatusCode);

        await ReplaceAsync(Policy.Replace("version: x1", "version: x2").Replace("offer: recommendation", "offer: coupon"));
        body = await Until(async () => (await Json.GetAsync(_gateway.Server, "/v1/policy")).Body!, b => b["lastError"] is not null, "the reload error");
        Assert.Equal("x1", (string?)body["version"]);
        Assert.Contains("rules[0].offer", (string?)body["lastError"]);
        Assert.Equal(1, (int)body["reloadFailures"]!);

        var metrics = await _gateway.Server.GetStringAsync("/metrics");
        Assert.Equal(1, Dashboard.PrometheusText.Value(metrics, $"micromoment_policy_info{{version=\"x1\",source=\"{_path}\"}}"));
        Assert.Equal(1, Dashboard.PrometheusText.Value(metrics, "micromoment_policy_reload_failures_total"));
        Assert.Equal(0, Dashboard.PrometheusText.Value(metrics, "micromoment_policy_reloads_total"));
        Assert.Equal(1, Dashboard.PrometheusText.Value(metrics, "micromoment_policy_reload_error"));

        await ReplaceAsync(Policy.Replace("version: x1", "version: x2"));
        await Until(async () => await _gateway.Server.GetStringAsync("/metrics"), m => Dashboard.PrometheusText.Value(m, "micromoment_policy_reloads_total") == 1, "the reload in /metrics");
        var (_, answer) = await Json.PostAsync(_gateway.Server, "/v1/events", new JsonArray(Json.Event("late", "l1")).ToJsonString());
        var decision = answer!["results"]![0]!["decision"]!;
        if ((bool)decision["fired"]!) Assert.Equal("x2", (string?)decision["offer"]!["policyVersion"]);
        else Assert.Equal("holdout", (string?)decision["suppressedBecause"]);
    }

    [Fact]
    public async Task ExperimentRoutesReportTheSilosCountsAndUnknownNamesAre404Problems()
    {
        var events = new JsonArray();
        for (int i = 0; i < 40; i++) events.Add(Json.Event("s" + i, "e" + i));
        await Json.PostAsync(_gateway.Server, "/v1/events", events.ToJsonString());

        var (response, body) = await Json.GetAsync(_gateway.Server, "/v1/experiments");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = (await _gateway.Silo.GetExperimentsAsync()).Find("nudge")!;
        var nudge = body!["experiments"]![0]!;
        Assert.Equal("nudge", (string?)nudge["name"]);
        Assert.True((bool)nudge["active"]!);
        Assert.Equal(40, nudge["variants"]!.AsArray().Sum(v => (long)v!["exposures"]!));
        foreach (var v in expected.Variants)
        {
            var arm = nudge["variants"]!.AsArray().Single(a => (string?)a!["name"] == v.Name)!;
            Assert.Equal(v.Exposures, (long)arm["exposures"]!);
            Assert.Equal(v.Proposals, (long)arm["proposals"]!);
            Assert.Equal(v.RateHigh, (double)arm["rateHigh"]!);
        }
        Assert.Contains("mSPRT", (string?)body["method"]);

        var (one, single) = await Json.GetAsync(_gateway.Server, "/v1/experiments/nudge");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Single(single!["experiments"]!.AsArray());

        var (missing, problem) = await Json.GetAsync(_gateway.Server, "/v1/experiments/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Contains("'nope'", (string?)problem!["detail"]);
        Assert.Contains("nudge", (string?)problem["detail"]);
    }

    [Fact]
    public async Task OfferWrittenToTheWebSocketIsTimedFromDecisionToDelivery()
    {
        // Find a shopper in the variant arm (the holdout is never offered anything).
        var experiment = MicroMoment.Silo.Triggers.PolicyLoader.LoadFile(_path, new MicroMoment.Silo.Triggers.PolicyBinding(["x"], 0.5f, 0.5f)).Experiments[0];
        string user = Enumerable.Range(0, 100).Select(i => "ws" + i).First(u => MicroMoment.Silo.Triggers.ExperimentAssigner.Assign(experiment, TestGateway.Tenant, u) == 0);
        using var socket = await _gateway.ConnectAsync(userId: user);
        await Json.PostAsync(_gateway.Server, "/v1/events", new JsonArray(Json.Event(user, "w1")).ToJsonString());
        await Json.ReceiveAsync(socket, "offer");

        var metrics = await Until(async () => await _gateway.Server.GetStringAsync("/metrics"), m => Dashboard.PrometheusText.Value(m, "micromoment_gateway_offer_delivery_duration_seconds_count") == 1, "one delivery observation");
        Assert.Equal(1, Dashboard.PrometheusText.Value(metrics, "micromoment_gateway_offer_delivery_duration_seconds_bucket{le=\"+Inf\"}"));
        Assert.Contains("# HELP micromoment_grain_event_duration_seconds Event processing in the silo", metrics);
    }
}
