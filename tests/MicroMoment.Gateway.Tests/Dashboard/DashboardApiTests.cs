using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json.Nodes;
using MicroMoment.Events;
using MicroMoment.Gateway.Dashboard;
using MicroMoment.Silo;
using MicroMoment.Silo.Triggers;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;

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
        // One session, its cookie sent to the dashboard and to Orleans' dashboard (mounted by this host), nowhere else.
        var all = cookies.GetAllCookies();
        Assert.Equal(["/dashboard", "/orleans"], all.Select(c => c.Path).Order(StringComparer.Ordinal));
        Assert.Single(all.Select(c => c.Value).Distinct());
        var cookie = all[0];
        Assert.All(all, c => Assert.Equal(DashboardAccess.CookieName, c.Name));
        Assert.All(all, c => Assert.True(c.HttpOnly));
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
        // A gateway of its own on a clock that moves only when told: the pause is measured on it, not slept through.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var gateway = await TestGateway.StartAsync(configureBuilder: b => b.Services.AddSingleton<TimeProvider>(clock));
        using var client = new HttpClient { BaseAddress = gateway.Host.BaseAddress };
        HttpResponseMessage? refused = null;
        int attempts = 0;
        for (; attempts < DashboardAccess.FailedLoginBurst + 5 && refused is null; attempts++)
        {
            var response = await client.PostAsync("/dashboard/login", new FormUrlEncodedContent([KeyValuePair.Create("key", "mm_sk_guess_" + attempts.ToString("D8", System.Globalization.CultureInfo.InvariantCulture))]));
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
            else Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        Assert.NotNull(refused);
        Assert.Equal(DashboardAccess.FailedLoginBurst + 1, attempts); // the burst is spent, then the next try is refused
        // While paused even the right key waits; once one failed login is earned back it logs in.
        var pause = TimeSpan.FromSeconds(1 / DashboardAccess.FailedLoginsPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(pause.TotalSeconds))), refused.Headers.RetryAfter?.Delta); // whole seconds, at least 1
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync("/dashboard/login", Key(TestGateway.ServerKey))).StatusCode);
        clock.Advance(pause - TimeSpan.FromMilliseconds(1));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.PostAsync("/dashboard/login", Key(TestGateway.ServerKey))).StatusCode);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/dashboard/login", Key(TestGateway.ServerKey))).StatusCode);

        static FormUrlEncodedContent Key(string key) => new([KeyValuePair.Create("key", key)]);
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
        Assert.Equal(metrics.Sum("micromoment_grain_events_total", "status=\"accepted\""), snapshot["accepted"]!.GetValue<long>());
        Assert.Equal(metrics.Sum("micromoment_grain_events_total"), snapshot["events"]!.GetValue<long>());
        Assert.Equal(metrics.Sum("micromoment_trigger_offers_fired_total"), snapshot["offers"]!.GetValue<long>());
        Assert.Equal(metrics.Sum("micromoment_grain_active"), snapshot["liveActivations"]!.GetValue<long>());
        Assert.Equal(metrics.Sum("micromoment_trigger_suppressions_total"), snapshot["suppressions"]!.AsObject().Sum(p => p.Value!.GetValue<long>()));
        Assert.Equal(metrics.Sum("micromoment_grain_queue_depth"), snapshot["inHand"]!.GetValue<long>());
        // The dashboard's latency distribution reads the same histogram instrument as /metrics: the same observations.
        Assert.Equal(metrics.Sum("micromoment_grain_event_duration_seconds_count"), snapshot["latency"]!["count"]!.GetValue<long>());
        var allP99 = snapshot["latency"]!["allP99"]!.GetValue<double>() / 1000;
        var buckets = metrics.Buckets("micromoment_grain_event_duration_seconds");
        var atOrBelow = buckets.First(b => b.Key >= allP99).Value; // HdrHistogram's p99 lies in the /metrics bucket that holds the 99th percentile
        Assert.True(atOrBelow >= 0.99 * buckets[^1].Value, $"p99 {allP99} s lies above the /metrics bucket holding 99% of {buckets[^1].Value} events.");

        Assert.Equal(["user", "trigger", "cluster-centroid", "experiment-counter"], snapshot["grains"]!.AsArray().Take(4).Select(g => g!["type"]!.GetValue<string>()));
        // The user grain's turn comes from the silo's own turn histogram: sub-millisecond per event, and never longer than enqueue-to-decision.
        var user = snapshot["grains"]![0]!;
        var turnP50 = user["allTurnP50"]!.GetValue<double>();
        Assert.True(turnP50 > 0 && turnP50 <= snapshot["latency"]!["allP50"]!.GetValue<double>(), $"turn p50 {turnP50} ms should be positive and at most the enqueue-to-decision p50.");
        Assert.True(snapshot["networkStep"]!["steps"]!.GetValue<long>() > 0);
        Assert.True(snapshot["networkStep"]!["allP99"]!.GetValue<double>() > 0);
    }

    [Fact]
    public async Task GrainsAndSilosComeFromOrleansManagementGrainOneRowPerSilo()
    {
        var gateway = fixture.Gateway;
        var sampler = gateway.Host.App.Services.GetRequiredService<DashboardSampler>();
        await sampler.ReadClusterNowAsync();
        var snapshot = JsonNode.Parse(await sampler.NextAsync())!;
        // Orleans' own answer, asked directly (nothing posts events meanwhile: the collection runs one test at a time).
        var management = ((RecordingSilo)gateway.Silo).Inner.GrainFactory.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetHosts(onlyActive: true);
        var counts = await management.GetSimpleGrainStatistics();

        Assert.True(snapshot["cluster"]!["available"]!.GetValue<bool>());
        Assert.Null(snapshot["cluster"]!["error"]);
        var silo = Assert.Single(snapshot["silos"]!.AsArray())!;
        Assert.Equal(hosts.Keys.Single().ToParsableString(), silo["address"]!.GetValue<string>());
        Assert.Equal("Active", silo["status"]!.GetValue<string>());
        Assert.True(silo["local"]!.GetValue<bool>());
        Assert.True(silo["activations"]!.GetValue<int>() > 0);
        Assert.True(silo["memoryBytes"]!.GetValue<long>() > 0);
        Assert.True(silo["clients"]!.GetValue<long>() >= 1, "the gateway's Orleans client (for Orleans' dashboard) is connected to the silo's gateway");
        // The gateway's own numbers of the silo in its process ride on that row.
        Assert.Equal("simd", silo["backend"]!.GetValue<string>());
        Assert.True(silo["process"]!["workingSetBytes"]!.GetValue<long>() > 0);

        int OrleansCount(string className) => counts.Where(c => OrleansClusterStatistics.ClassName(c.GrainType) == className).Sum(c => c.ActivationCount);
        var grains = snapshot["grains"]!.AsArray();
        var user = grains.Single(g => g!["type"]!.GetValue<string>() == "user")!;
        Assert.Equal("MicroMoment.Silo.Grains.UserGrain", user["class"]!.GetValue<string>());
        Assert.True(OrleansCount("MicroMoment.Silo.Grains.UserGrain") > 0);
        Assert.Equal(OrleansCount("MicroMoment.Silo.Grains.UserGrain"), user["activations"]!.GetValue<long>());
        var perSilo = Assert.Single(user["silos"]!.AsArray())!;
        Assert.Equal(silo["address"]!.GetValue<string>(), perSilo["silo"]!.GetValue<string>());
        Assert.Equal(user["activations"]!.GetValue<long>(), perSilo["activations"]!.GetValue<long>());
        // Every grain class Orleans counts is listed, Orleans' own ones included; the project's with Orleans' number (Orleans'
        // stateless workers, such as its management grain, may add an activation between two readings).
        foreach (var cls in counts.Select(c => OrleansClusterStatistics.ClassName(c.GrainType)).Distinct())
        {
            var row = grains.Single(g => g!["class"]!.GetValue<string>() == cls)!;
            if (cls.StartsWith("MicroMoment.", StringComparison.Ordinal)) Assert.Equal(OrleansCount(cls), row["activations"]!.GetValue<long>());
            else Assert.True(row["activations"]!.GetValue<long>() > 0, cls);
        }
    }

    [Fact]
    public async Task AShoppersViewSaysWhichSiloOrleansHasTheirGrainActiveOn()
    {
        var (response, view) = await Json.GetAsync(fixture.Gateway.Server, $"/dashboard/api/users/{Uri.EscapeDataString(fixture.WatchedUser)}");
        response.EnsureSuccessStatusCode();
        var management = ((RecordingSilo)fixture.Gateway.Silo).Inner.GrainFactory.GetGrain<IManagementGrain>(0);
        var only = (await management.GetHosts(onlyActive: true)).Keys.Single().ToParsableString();
        Assert.Equal(only, view!["silo"]!.GetValue<string>());
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
        // The page's census may be up to MaxAge old (CensusIsSharedForItsMaxAgeOnTheInjectedClockThenTakenAfresh); a walk
        // taken now reports what the user grain reports now.
        var (_, user) = await Json.GetAsync(fixture.Gateway.Server, "/v1/users/" + Uri.EscapeDataString(fixture.WatchedUser));
        long applied = user!["eventsApplied"]!.GetValue<long>();
        Assert.InRange(counts[0], 1, applied);
        var fresh = await Assert.IsAssignableFrom<ISiloCensus>(fixture.Gateway.Silo).CensusAsync(DashboardCensus.Hottest);
        Assert.Equal(applied, fresh.Hottest[0].EventsApplied);
    }
    [Fact]
    public async Task CensusIsSharedForItsMaxAgeOnTheInjectedClockThenTakenAfresh()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var silo = await RecordingSilo.StartAsync(new SiloOptions { });
        var census = new DashboardCensus(silo, clock);
        await silo.IngestAsync([new ClickEvent("t", "first", clock.GetUtcNow().UtcDateTime, EventType.View, 1, 2, null, null, 10f)]);
        var taken = await census.GetJsonAsync();
        Assert.Equal(1, JsonNode.Parse(taken)!["activeGrains"]!.GetValue<long>());

        await silo.IngestAsync([new ClickEvent("t", "second", clock.GetUtcNow().UtcDateTime, EventType.View, 1, 2, null, null, 10f)]);
        Assert.Same(taken, await census.GetJsonAsync());
        clock.Advance(DashboardCensus.MaxAge);
        Assert.Same(taken, await census.GetJsonAsync()); // still within its age: no second walk, whatever the wall clock does
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var fresh = await census.GetJsonAsync();
        Assert.NotSame(taken, fresh);
        Assert.Equal(2, JsonNode.Parse(fresh)!["activeGrains"]!.GetValue<long>());
    }

    [Fact]
    public async Task ModelReportShowsThePolicyTheSiloRunsAndFollowsAnEditedAndReloadedFile()
    {
        var dir = Directory.CreateTempSubdirectory("mm-dashboard-policy-");
        try
        {
            string path = Path.Combine(dir.FullName, "policy.yaml");
            File.WriteAllText(path, PolicyVersion("dash-a"));
            // Polling is slow on purpose: the reload below swaps the policy (unless a file-system notification came first).
            var silo = await RecordingSilo.StartAsync(new SiloOptions { PolicyPath = path, PolicyPollInterval = TimeSpan.FromHours(1) });
            await using var gateway = await TestGateway.StartAsync(silo);

            var (_, model) = await Json.GetAsync(gateway.Server, "/dashboard/api/model");
            var policy = model!["policy"]!;
            Assert.Equal("dash-a", (string?)policy["version"]);
            Assert.Equal(Path.GetFullPath(path), (string?)policy["source"]);
            Assert.Equal(["buy-intent-cart", "buy-intent", "exit-risk"], policy["rules"]!.AsArray().Select(r => (string?)r!["name"]));
            Assert.Equal(0, policy["reloads"]!.GetValue<long>());
            // The running policy comes beside the model's own heads, thresholds and calibration.
            Assert.Equal(["buy", "exit"], model["heads"]!.AsArray().Select(h => h!.GetValue<string>()));
            Assert.Equal(silo.Model.BuyThreshold, model["buyThreshold"]!.GetValue<float>());
            // The silo's built-in default policy ("simple-1") is not what runs, so it appears nowhere.
            Assert.DoesNotContain(new TriggerPolicyOptions().PolicyVersion, model.ToJsonString(), StringComparison.Ordinal);

            File.WriteAllText(path, PolicyVersion("dash-b"));
            silo.Inner.ReloadPolicy();
            (_, model) = await Json.GetAsync(gateway.Server, "/dashboard/api/model");
            Assert.Equal("dash-b", (string?)model!["policy"]!["version"]);
            Assert.Equal(1, model["policy"]!["reloads"]!.GetValue<long>());
            var (_, running) = await Json.GetAsync(gateway.Server, "/v1/policy");
            Assert.Equal((string?)running!["version"], (string?)model["policy"]!["version"]);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>The shipped policy under another version label.</summary>
    internal static string PolicyVersion(string version)
    {
        string text = File.ReadAllText(DashboardFixture.PolicyPath);
        Assert.Contains("version: default-2", text);
        return text.Replace("version: default-2", "version: " + version, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserViewCensusAndSnapshotFollowTheSiloClockPastTheOffersLifeAndTheSessionTimeout()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        // Grains stay in memory a day, so only the clock can tell the session went quiet; any buy score fires an offer.
        var silo = await RecordingSilo.StartAsync(new SiloOptions
        {
            IdleTimeout = TimeSpan.FromDays(1),
            Trigger = new TriggerPolicyOptions { BuyThreshold = 1e-6f, ExitThreshold = 1f, ProposalTimeToLive = TimeSpan.FromMinutes(2) },
        }, clock);
        await using var gateway = await TestGateway.StartAsync(silo);
        var (_, answer) = await Json.PostAsync(gateway.Server, "/v1/events", Json.Event("quiet-1", "q1").ToJsonString());
        Assert.True(answer!["results"]![0]!["decision"]!["fired"]!.GetValue<bool>());

        var (_, view) = await Json.GetAsync(gateway.Server, "/v1/users/quiet-1");
        Assert.True(view!["sessionOpen"]!.GetValue<bool>());
        Assert.Equal("proposed", (string?)Assert.Single(view["activeOffers"]!.AsArray())!["state"]);
        var (_, census) = await Json.GetAsync(gateway.Server, "/dashboard/api/census");
        Assert.Equal(1, census!["intents"]!.AsObject().Sum(p => p.Value!.GetValue<long>()));

        clock.Advance(TimeSpan.FromHours(21));
        await silo.Inner.RunMaintenanceAsync();
        (_, view) = await Json.GetAsync(gateway.Server, "/v1/users/quiet-1");
        Assert.False(view!["sessionOpen"]!.GetValue<bool>());
        Assert.Empty(view["activeOffers"]!.AsArray());
        Assert.Equal("expired", (string?)view["recentDecisions"]![0]!["offer"]!["state"]);
        Assert.Equal(clock.GetUtcNow() - TimeSpan.FromHours(21), view["lastEventAppliedAt"]!.GetValue<DateTimeOffset>());

        var walk = new DashboardCensus(silo, TimeProvider.System); // the gateway's own census may still be shared
        census = JsonNode.Parse(await walk.GetJsonAsync());
        Assert.Equal(0, census!["intents"]!.AsObject().Sum(p => p.Value!.GetValue<long>()));
        Assert.Equal(0, census["clusters"]!.AsArray().Sum(c => c!["sessions"]!.GetValue<long>()));
        Assert.Equal(1, census["idleSessions"]!.GetValue<long>());
        Assert.Equal(1, census["activeGrains"]!.GetValue<long>());

        var snapshot = JsonNode.Parse(gateway.Host.App.Services.GetRequiredService<DashboardSampler>().Sample())!;
        Assert.Equal(1, snapshot["offersExpired"]!.GetValue<long>());
    }

    [Fact]
    public async Task ExperimentsApiClipsTheLiftIntervalToMinusOneToOneAndFlagsATooSmallSample()
    {
        // The fixture's REES46 sample: a 10% holdout of a few dozen exposed shoppers.
        var (_, api) = await Json.GetAsync(fixture.Gateway.Server, "/v1/experiments");
        Assert.Equal(ExperimentReporter.MinimumOutcomes, api!["minimumOutcomes"]!.GetValue<int>());
        var variants = Assert.Single(api["experiments"]!.AsArray())!["variants"]!.AsArray();
        var holdout = variants.Single(v => v!["isHoldout"]!.GetValue<bool>())!;
        var offers = variants.Single(v => (string?)v!["name"] == "offers")!;
        var lift = offers["lift"]!;
        Assert.True(lift["sampleTooSmall"]!.GetValue<bool>());
        if (lift["low"] is { } low)
        {
            double difference = lift["difference"]!.GetValue<double>(), raw = RawHalfWidth(offers, holdout);
            Assert.Equal(Math.Max(-1, difference - raw), low.GetValue<double>(), 12);
            Assert.Equal(Math.Min(1, difference + raw), lift["high"]!.GetValue<double>(), 12);
        }

        // Small and large samples with known counts (reports a test cannot gather in seconds).
        await using var silo = await RecordingSilo.StartAsync(new SiloOptions { });
        await using var gateway = await TestGateway.StartAsync(silo);
        var policy = PolicyLoader.Parse("""
            version: x1
            rules:
              - { name: a, intent: buy, offer: popup, thresholds: { default: 0.5 } }
            experiments:
              - { name: e1, holdout: 0.5, variants: [ { name: on } ] }
            """, "test", new PolicyBinding(["c0"], 0.5f, 0.5f));
        foreach (var (n, x, hn, hx, tooSmall) in new[] { (4L, 1L, 3L, 0L, true), (20L, 15L, 20L, 5L, true), (5000L, 600L, 5000L, 500L, false) })
        {
            var ledger = new AttributionLedger();
            ledger.Count("e1", "on", ExperimentMetric.Exposures, n);
            ledger.Count("e1", "on", ExperimentMetric.Conversions, x);
            ledger.Count("e1", "holdout", ExperimentMetric.Exposures, hn);
            ledger.Count("e1", "holdout", ExperimentMetric.Conversions, hx);
            silo.ExperimentsOverride = () => ExperimentReporter.Build(policy, ledger, DateTimeOffset.UnixEpoch);
            (_, api) = await Json.GetAsync(gateway.Server, "/v1/experiments");
            var arms = api!["experiments"]![0]!["variants"]!.AsArray();
            var on = arms.Single(v => (string?)v!["name"] == "on")!;
            lift = on["lift"]!;
            double d = (double)x / n - (double)hx / hn, half = RawHalfWidth(on, arms[0]!);
            Assert.Equal(tooSmall, lift["sampleTooSmall"]!.GetValue<bool>());
            Assert.Equal(Math.Max(-1, d - half), lift["low"]!.GetValue<double>(), 12);
            Assert.Equal(Math.Min(1, d + half), lift["high"]!.GetValue<double>(), 12);
            if (tooSmall) Assert.True(d + half > 1 || d - half < -1, "these small samples' raw intervals leave [-1, 1]");
            else Assert.True(d + half < 1 && d - half > -1, "a large sample's interval needs no clipping");
        }
    }

    /// <summary>The mSPRT half-width from an arm's and the holdout's counts on the wire (the report's τ² and α), unclipped.</summary>
    private static double RawHalfWidth(JsonNode arm, JsonNode holdout)
    {
        double nA = arm["exposures"]!.GetValue<long>(), nB = holdout["exposures"]!.GetValue<long>();
        double pA = arm["conversions"]!.GetValue<long>() / nA, pB = holdout["conversions"]!.GetValue<long>() / nB;
        double v = pA * (1 - pA) / nA + pB * (1 - pB) / nB, tau2 = ExperimentReporter.Tau2;
        return Math.Sqrt(2 * v * (v + tau2) / tau2 * (Math.Log(1 / ExperimentReporter.Alpha) + 0.5 * Math.Log((v + tau2) / v)));
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
