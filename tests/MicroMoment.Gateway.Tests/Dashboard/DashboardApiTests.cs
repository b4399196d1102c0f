using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json.Nodes;
using MicroMoment.Gateway.Dashboard;

namespace MicroMoment.Gateway.Tests.Dashboard;

[Collection(DashboardCollection.Name)]
public sealed class DashboardApiTests(DashboardFixture fixture)
{
    private static readonly string[] DataRoutes = ["/dashboard/api/snapshot", "/dashboard/api/history", "/dashboard/api/stream", "/dashboard/api/users/u1", "/dashboard/api/model", "/dashboard/api/experiments"];

    [Fact]
    public async Task EveryDataRouteRefusesRequestsWithoutAServerKey()
    {
        var gateway = fixture.Gateway;
        using var publishable = gateway.Client(TestGateway.PublishableKey);
        using var wrong = gateway.Client("mm_sk_not_a_key_of_this_gateway");
        foreach (var route in DataRoutes)
        {
            var (anonymous, problem) = await Json.GetAsync(gateway.Anonymous, route);
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Contains("server key", problem!["detail"]!.GetValue<string>());
            Assert.Equal(HttpStatusCode.Forbidden, (await publishable.GetAsync(route)).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync(route)).StatusCode);
        }
        // The page itself carries no data and loads without a key.
        Assert.Equal(HttpStatusCode.OK, (await gateway.Anonymous.GetAsync("/dashboard")).StatusCode);
    }

    [Fact]
    public async Task LoginWithAServerKeySetsACookieThatReadsButNeverHoldsTheKey()
    {
        var gateway = fixture.Gateway;
        var cookies = new CookieContainer();
        using var handler = new HttpClientHandler { CookieContainer = cookies };
        using var browser = new HttpClient(handler) { BaseAddress = gateway.Host.BaseAddress };

        var refused = await browser.PostAsync("/dashboard/login", new FormUrlEncodedContent([KeyValuePair.Create("key", TestGateway.PublishableKey)]));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Empty(cookies.GetAllCookies());

        var login = await browser.PostAsync("/dashboard/login", new FormUrlEncodedContent([KeyValuePair.Create("key", TestGateway.ServerKey)]));
        Assert.Equal(HttpStatusCode.NoContent, login.StatusCode);
        var cookie = Assert.Single(cookies.GetAllCookies());
        Assert.Equal(DashboardAccess.CookieName, cookie.Name);
        Assert.True(cookie.HttpOnly);
        Assert.DoesNotContain(TestGateway.ServerKey, cookie.Value);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/dashboard/api/snapshot")).StatusCode);

        // The cookie opens only the dashboard, never the writable API.
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.DeleteAsync("/v1/users/u1")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync("/dashboard/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/dashboard/api/snapshot")).StatusCode);
    }

    [Fact]
    public async Task GuessingKeysIsThrottledAndLoginRecoversAfterThePause()
    {
        using var client = new HttpClient { BaseAddress = fixture.Gateway.Host.BaseAddress };
        HttpResponseMessage? refused = null;
        for (int attempt = 0; attempt < DashboardAccess.FailedLoginBurst + 5 && refused is null; attempt++)
        {
            var response = await client.PostAsync("/dashboard/login", new FormUrlEncodedContent([KeyValuePair.Create("key", "mm_sk_guess_" + attempt.ToString("D8", System.Globalization.CultureInfo.InvariantCulture))]));
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
            else Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        Assert.NotNull(refused);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        // While paused even the right key waits; after the pause it logs in.
        var correct = new FormUrlEncodedContent([KeyValuePair.Create("key", TestGateway.ServerKey)]);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync("/dashboard/login", correct)).StatusCode);
        await Task.Delay(refused.Headers.RetryAfter!.Delta!.Value);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/dashboard/login", new FormUrlEncodedContent([KeyValuePair.Create("key", TestGateway.ServerKey)]))).StatusCode);
    }

    [Fact]
    public async Task ThePageMayLoadOnlyItsOwnScriptAndStyle()
    {
        var response = await fixture.Gateway.Anonymous.GetAsync("/dashboard");
        Assert.Equal(DashboardEndpoints.ContentSecurityPolicy, response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SnapshotCountsMatchTheSiloMetrics()
    {
        var gateway = fixture.Gateway;
        var sampler = gateway.Host.App.Services.GetRequiredService<DashboardSampler>();
        await sampler.NextAsync();
        var (_, snapshot) = await Json.GetAsync(gateway.Server, "/dashboard/api/snapshot");
        var metrics = new PrometheusText(await gateway.Server.GetStringAsync("/metrics"));

        Assert.True(snapshot!["accepted"]!.GetValue<long>() >= fixture.Accepted);
        Assert.Equal(metrics.Sum("micromoment_silo_events_accepted_total"), snapshot["accepted"]!.GetValue<long>());
        Assert.Equal(metrics.Sum("micromoment_silo_events_total"), snapshot["events"]!.GetValue<long>());
        Assert.Equal(metrics.Sum("micromoment_silo_offers_fired_total"), snapshot["offers"]!.GetValue<long>());
        Assert.Equal(metrics.Sum("micromoment_silo_activations"), snapshot["liveActivations"]!.GetValue<long>());
        Assert.Equal(metrics.Sum("micromoment_silo_suppressions_total"), snapshot["suppressions"]!.AsObject().Sum(p => p.Value!.GetValue<long>()));
        Assert.Equal(metrics.Sum("micromoment_silo_queue_depth"), snapshot["queueDepths"]!.AsArray().Sum(d => d!.GetValue<long>()));
        var p99 = Quantiles.FromCumulative(metrics.Buckets("micromoment_silo_processing_seconds"), 0.99) * 1000;
        Assert.Equal(p99, snapshot["latency"]!["allP99"]!.GetValue<double>(), 0.001);

        var silo = Assert.Single(snapshot["silos"]!.AsArray())!;
        Assert.Equal(8, silo["partitions"]!.GetValue<int>());
        Assert.True(silo["workingSetBytes"]!.GetValue<long>() > 0);
        Assert.Equal(["user", "trigger", "cluster-centroid"], snapshot["grains"]!.AsArray().Select(g => g!["type"]!.GetValue<string>()));
        // The user grain's turn comes from the silo's own turn histogram: sub-millisecond per event, and never longer than enqueue-to-decision.
        var user = snapshot["grains"]![0]!;
        var turnP50 = user["allTurnP50"]!.GetValue<double>();
        Assert.True(turnP50 > 0 && turnP50 <= snapshot["latency"]!["allP50"]!.GetValue<double>(), $"turn p50 {turnP50} ms should be positive and at most the enqueue-to-decision p50.");
        Assert.True(snapshot["networkStep"]!["steps"]!.GetValue<long>() > 0);
        Assert.True(snapshot["networkStep"]!["allP99"]!.GetValue<double>() > 0);
    }

    [Fact]
    public async Task EveryWatcherGetsTheSameSnapshotComputedOncePerTick()
    {
        var sampler = fixture.Gateway.Host.App.Services.GetRequiredService<DashboardSampler>();
        using var a = sampler.Watch();
        using var b = sampler.Watch();
        Assert.True(sampler.Watchers >= 2);
        var first = sampler.NextAsync();
        var second = sampler.NextAsync();
        Assert.Same(await first, await second);
        var json = JsonNode.Parse(await first)!;
        Assert.True(json["watchers"]!.GetValue<int>() >= 2);
    }

    [Fact]
    public async Task StreamPushesASnapshotEveryInterval()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/dashboard/api/stream");
        using var response = await fixture.Gateway.Server.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var sequences = new List<long>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (sequences.Count < 3)
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            if (line is not null && line.StartsWith("data: ", StringComparison.Ordinal))
                sequences.Add(JsonNode.Parse(line[6..])!["seq"]!.GetValue<long>());
        }
        Assert.True(sequences[1] > sequences[0] && sequences[2] > sequences[1], $"Snapshots should arrive in order, each new: {string.Join(", ", sequences)}.");
    }

    [Fact]
    public async Task ModelReportProjectsEveryClusterOfTheModel()
    {
        var (response, model) = await Json.GetAsync(fixture.Gateway.Server, "/dashboard/api/model");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bundled = BundledModel.Model;
        Assert.Equal(bundled.Info.Version, model!["version"]!.GetValue<string>());
        Assert.Equal(bundled.Features.ClusterNames, model["clusters"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal(bundled.BuyThreshold, model["buyThreshold"]!.GetValue<float>());
        Assert.InRange(model["explainedX"]!.GetValue<double>() + model["explainedY"]!.GetValue<double>(), 0, 1.000001);
    }

    [Fact]
    public async Task CensusCountsOpenSessionsPerClusterAndIntentAndNamesTheHottestGrain()
    {
        var (response, census) = await Json.GetAsync(fixture.Gateway.Server, "/dashboard/api/census");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(census!["available"]!.GetValue<bool>());
        var clusters = census["clusters"]!.AsArray();
        Assert.Equal(BundledModel.Model.Features.ClusterNames, clusters.Select(c => c!["name"]!.GetValue<string>()));
        long byCluster = clusters.Sum(c => c!["sessions"]!.GetValue<long>());
        long byIntent = census["intents"]!.AsObject().Sum(p => p.Value!.GetValue<long>());
        Assert.Equal(byCluster, byIntent);
        Assert.InRange(byCluster, 1, census["activeGrains"]!.GetValue<long>());

        var hottest = census["hottest"]!.AsArray();
        Assert.InRange(hottest.Count, 1, DashboardCensus.Hottest);
        Assert.Equal(fixture.WatchedUser, hottest[0]!["userId"]!.GetValue<string>());
        var counts = hottest.Select(g => g!["eventsApplied"]!.GetValue<long>()).ToList();
        Assert.Equal(counts.OrderByDescending(c => c), counts);
        // A census is shared for up to two seconds; a fresh one reports what the user grain reports now.
        var (_, user) = await Json.GetAsync(fixture.Gateway.Server, "/v1/users/" + Uri.EscapeDataString(fixture.WatchedUser));
        long applied = user!["eventsApplied"]!.GetValue<long>();
        Assert.InRange(counts[0], 1, applied);
        await Task.Delay(DashboardCensus.MaxAge + TimeSpan.FromMilliseconds(100));
        var (_, fresh) = await Json.GetAsync(fixture.Gateway.Server, "/dashboard/api/census");
        Assert.Equal(applied, fresh!["hottest"]![0]!["eventsApplied"]!.GetValue<long>());
    }

    [Fact]
    public async Task CensusRefusesAnUnreasonableNumberOfHottestGrains()
    {
        var census = Assert.IsAssignableFrom<MicroMoment.Silo.ISiloCensus>(fixture.Gateway.Silo);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await census.CensusAsync(-1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await census.CensusAsync(1001));
        Assert.Empty((await census.CensusAsync(0)).Hottest);
    }

    [Fact]
    public async Task ExperimentsPanelServesTheSilosExperimentReport()
    {
        var (_, experiments) = await Json.GetAsync(fixture.Gateway.Server, "/dashboard/api/experiments");
        Assert.True(experiments!["configured"]!.GetValue<bool>());
        var e = Assert.Single(experiments["experiments"]!.AsArray())!;
        Assert.Equal("offers-vs-holdout", (string?)e["name"]);
        Assert.Equal(["holdout", "offers"], e["variants"]!.AsArray().Select(v => (string?)v!["name"]));
        Assert.Equal("default-2", (string?)experiments["policyVersion"]);
    }

    [Fact]
    public async Task ExperimentsPanelSaysNoneAreConfiguredForAPolicyWithoutExperiments()
    {
        await using var gateway = await TestGateway.StartAsync();
        var (_, experiments) = await Json.GetAsync(gateway.Server, "/dashboard/api/experiments");
        Assert.False(experiments!["configured"]!.GetValue<bool>());
        Assert.Empty(experiments["experiments"]!.AsArray());
    }
}
