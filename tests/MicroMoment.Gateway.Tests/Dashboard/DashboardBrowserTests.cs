using System.Globalization;
using System.Text.Json;
using MicroMoment.Gateway.Dashboard;
using MicroMoment.Silo;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace MicroMoment.Gateway.Tests.Dashboard;

/// <summary>The dashboard in headless Chromium against a gateway and silo fed with REES46 sample events.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardBrowserTests(DashboardFixture fixture)
{
    private static readonly string[] Pages = ["overview", "grains", "silos", "user", "model", "experiments"];

    [Fact]
    public async Task EveryPageLoadsAndShowsTheNumbersTheApiServes()
    {
        var page = await fixture.LoggedInPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);

        var metrics = new PrometheusText(await fixture.Gateway.Server.GetStringAsync("/metrics"));
        await WaitForValueAsync(page, "ov-events", metrics.Sum("micromoment_grain_events_total"));
        await WaitForValueAsync(page, "ov-offers", metrics.Sum("micromoment_trigger_offers_fired_total"));
        await WaitForValueAsync(page, "ov-live-activations", metrics.Sum("micromoment_grain_active"));
        await WaitForValueAsync(page, "ov-silos", 1);
        Assert.True(await Number(page, "ov-events") >= fixture.Accepted);
        Assert.True(await Number(page, "ov-p99") > 0);
        Assert.Equal(1, await page.Locator("#ov-chart-in-hand path").CountAsync()); // one line: the events in hand
        // One line per latency series that has a value in the page's history (early samples may have left it).
        Assert.Equal(await page.EvaluateAsync<int>("() => ['p50', 'p95', 'p99'].filter(q => window.mmDashboard.history.some(s => s.latency[q] !== null)).length"),
            await page.Locator("#ov-chart-latency path").CountAsync());
        await ShotAsync(page, "overview");

        await page.ClickAsync("a[data-page=grains]");
        await page.Locator("#grains-table tbody tr").Nth(2).WaitForAsync();
        Assert.Equal(["user", "trigger", "cluster-centroid", "experiment-counter"], (await page.Locator("#grains-table tbody tr td:first-child").AllTextContentsAsync()).Take(4));
        // Orleans' count of user grain activations, as the snapshot the page shows carries it.
        await page.WaitForFunctionAsync("() => document.querySelector('#grains-table tbody tr:first-child td[data-field=activations]').dataset.value !== ''");
        Assert.Equal(await page.EvaluateAsync<double>("() => window.mmDashboard.history.at(-1).grains[0].activations"),
            await CellValue(page, "#grains-table tbody tr:first-child td[data-field=activations]"));
        Assert.True(await CellValue(page, "#grains-table tbody tr:first-child td[data-field=activations]") > 0);
        Assert.True(await page.Locator("#grains-by-silo tbody tr").CountAsync() >= 4);
        // A real condition: the census answered (never a stand-in shown while it ran).
        await page.WaitForFunctionAsync("() => document.getElementById('grains-hottest').dataset.state === 'ready'", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        Assert.Equal(fixture.WatchedUser, await page.TextContentAsync("#grains-hottest tbody tr:first-child td:first-child"));
        await ShotAsync(page, "grains");

        await page.ClickAsync("a[data-page=silos]");
        await page.Locator("#silos-table tbody tr").First.WaitForAsync();
        Assert.Equal(1, await page.Locator("#silos-table tbody tr").CountAsync()); // one silo, one row
        Assert.Equal("simd", await page.TextContentAsync("#silos-table tbody tr:first-child td[data-field=backend]"));
        Assert.Equal("Active", await page.TextContentAsync("#silos-table tbody tr:first-child td[data-field=status]"));
        Assert.Contains("(this process)", await page.TextContentAsync("#silos-table tbody tr:first-child td[data-field=silo]"));
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#silos-chart-cpu path').length === 1");
        await ShotAsync(page, "silos");

        await page.ClickAsync("a[data-page=model]");
        await page.WaitForFunctionAsync("() => document.getElementById('model-version').textContent !== '–'");
        var model = BundledModel.Model;
        Assert.Equal(model.Info.Version, await page.TextContentAsync("#model-version"));
        // The version is written before the page awaits the census; the scatter is drawn after it.
        await page.WaitForFunctionAsync("n => document.querySelectorAll('#model-scatter circle').length === n", model.Features.ClusterNames.Count);
        Assert.Equal(model.Features.ClusterNames.Count, await page.Locator("#model-scatter circle").CountAsync());
        Assert.Equal(model.BuyThreshold, await Number(page, "model-buy-threshold"), 5);
        await page.WaitForFunctionAsync("() => document.querySelector('#model-scatter circle').dataset.sessions !== ''");
        var (_, census) = await Json.GetAsync(fixture.Gateway.Server, "/dashboard/api/census");
        var sessions = await page.Locator("#model-scatter circle").EvaluateAllAsync<long[]>("cs => cs.map(c => Number(c.dataset.sessions))");
        Assert.Equal(census!["clusters"]!.AsArray().Select(c => c!["sessions"]!.GetValue<long>()), sessions);
        Assert.Equal(3, await page.Locator("#model-intents tbody tr").CountAsync());
        await ShotAsync(page, "model");

        await page.ClickAsync("a[data-page=experiments]");
        await page.Locator("section.experiment table.statistics tr[data-variant=offers]").WaitForAsync();
        await ExperimentsMatchTheApiAsync(page);
        await ShotAsync(page, "experiments");

        Assert.Empty(errors);
        await page.Context.CloseAsync();
    }

    /// <summary>Every number of the experiments page equals GET /v1/experiments (counters do not move without new events).</summary>
    private async Task ExperimentsMatchTheApiAsync(IPage page)
    {
        var (_, api) = await Json.GetAsync(fixture.Gateway.Server, "/v1/experiments");
        var experiments = api!["experiments"]!.AsArray();
        Assert.Equal(experiments.Count, await page.Locator("section.experiment").CountAsync());
        Assert.Contains("mSPRT", await page.TextContentAsync("#experiments-method"));
        foreach (var e in experiments)
        {
            string name = (string)e!["name"]!;
            foreach (var v in e["variants"]!.AsArray())
            {
                string variant = (string)v!["name"]!;
                var row = page.Locator($"section.experiment[data-experiment='{name}'] tr[data-variant='{variant}']");
                async Task<string> Field(string field) => await row.Locator($"td[data-field={field}]").GetAttributeAsync("data-value") ?? "";
                foreach (var field in new[] { "exposures", "proposals", "shows", "clicks", "dismissals", "expirations", "conversions" })
                    Assert.Equal((long)v[field]!, long.Parse(await Field(field), CultureInfo.InvariantCulture));
                long exposures = (long)v["exposures"]!;
                if (exposures > 0)
                {
                    Assert.Equal((double)v["conversionRate"]!, double.Parse(await Field("conversionRate"), CultureInfo.InvariantCulture), 12);
                    Assert.Equal((double)v["rateLow"]!, double.Parse(await Field("rateInterval"), CultureInfo.InvariantCulture), 12);
                    Assert.Equal(1, await row.Locator("svg.interval rect[data-low]").First.CountAsync());
                }
                if (v["lift"] is { } lift)
                {
                    Assert.Equal((double)lift["pValue"]!, double.Parse(await Field("pValue"), CultureInfo.InvariantCulture), 12);
                    if (lift["difference"] is { } d) Assert.Equal((double)d, double.Parse(await Field("lift"), CultureInfo.InvariantCulture), 12);
                    if (lift["low"] is { } low) Assert.Equal((double)low, double.Parse(await Field("liftInterval"), CultureInfo.InvariantCulture), 12);
                    Assert.Equal((bool)lift["sampleTooSmall"]!, await row.Locator("td[data-field=liftInterval]").TextContentAsync() is { } text && text.Contains("sample too small", StringComparison.Ordinal));
                }
                else
                {
                    Assert.True((bool)v["isHoldout"]!);
                }
            }
        }
    }

    [Fact]
    public async Task UserPageUpdatesWhenANewEventForThatUserArrives()
    {
        var page = await fixture.LoggedInPageAsync();
        await page.ClickAsync("a[data-page=user]");
        await page.FillAsync("#user-id", fixture.WatchedUser);
        await page.ClickAsync("#user-watch");
        await page.WaitForFunctionAsync("() => document.getElementById('user-events-applied').dataset.value > 0");
        double applied = await Number(page, "user-events-applied");
        int timeline = (int)await Number(page, "user-timeline-count");
        Assert.Equal(timeline, await page.Locator("#user-heatmap rect").CountAsync());
        Assert.Equal(2, await page.Locator("#user-chart path").CountAsync());
        Assert.Equal("open (live)", await page.TextContentAsync("#user-session"));

        var answer = await fixture.PostWatchedUserEventAsync("dash-live-" + Guid.NewGuid().ToString("N"), 20, "cart");
        Assert.Equal("accepted", answer!["results"]![0]!["status"]!.GetValue<string>());
        await WaitForValueAsync(page, "user-events-applied", applied + 1);

        var (_, view) = await Json.GetAsync(fixture.Gateway.Server, "/v1/users/" + Uri.EscapeDataString(fixture.WatchedUser));
        await WaitForValueAsync(page, "user-timeline-count", view!["timeline"]!.AsArray().Count);
        Assert.Equal(view["latest"]!["buy"]!.GetValue<double>(), await Number(page, "user-buy"), 5);
        Assert.Equal(view["intent"]!.GetValue<string>(), await page.TextContentAsync("#user-intent"));
        Assert.Equal(string.Join(", ", view["consent"]!["categories"]!.AsArray().Select(c => c!.GetValue<string>())), await page.TextContentAsync("#user-consent"));
        Assert.Equal(view["timeZone"]?.GetValue<string>() ?? "policy's", await page.TextContentAsync("#user-time-zone"));
        Assert.Equal(view["timeline"]!.AsArray().Count, await page.Locator("#user-heatmap rect").CountAsync());
        // The heatmap draws the softmax weights the API names attentionWeight.
        var weights = await page.Locator("#user-heatmap rect").EvaluateAllAsync<double[]>("rs => rs.map(r => Number(r.dataset.attentionWeight))");
        Assert.Equal(view["timeline"]!.AsArray().Select(t => t!["attentionWeight"]!.GetValue<double>()), weights);
        await ShotAsync(page, "user");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ModelPageShowsTheRunningPolicyAndTheNextOneAfterTheFileIsEditedAndReloaded()
    {
        var dir = Directory.CreateTempSubdirectory("mm-dashboard-policy-");
        try
        {
            string path = Path.Combine(dir.FullName, "policy.yaml");
            File.WriteAllText(path, DashboardApiTests.PolicyVersion("dash-a"));
            var silo = await RecordingSilo.StartAsync(new SiloOptions { PolicyPath = path, PolicyPollInterval = TimeSpan.FromHours(1) });
            await using var gateway = await TestGateway.StartAsync(silo, o => o.Dashboard.RefreshInterval = TimeSpan.FromMilliseconds(250));
            var page = await fixture.LoggedInPageAsync(gateway);
            await page.ClickAsync("a[data-page=model]");
            await WaitForTextAsync(page, "model-policy-version", "dash-a");
            Assert.Equal(3, await page.Locator("#model-policy-rules tbody tr").CountAsync());
            Assert.Equal(["buy-intent-cart", "buy-intent", "exit-risk"], await page.Locator("#model-policy-rules tbody tr td:first-child").AllTextContentsAsync());
            Assert.DoesNotContain(new TriggerPolicyOptions().PolicyVersion, await page.InnerTextAsync("#page-model"), StringComparison.Ordinal);
            // Beside the running policy, the page lists the model's heads.
            Assert.Equal(["heads", "buy, exit"], await page.Locator("#model-settings tbody tr").Filter(new() { HasText = "heads" }).Locator("td").AllTextContentsAsync());

            File.WriteAllText(path, DashboardApiTests.PolicyVersion("dash-b"));
            silo.Inner.ReloadPolicy();
            await WaitForTextAsync(page, "model-policy-version", "dash-b");
            await page.Context.CloseAsync();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task GrainsPageSaysLoadingWhileTheFirstCensusRunsAndNeverThatItIsNotAvailable()
    {
        var page = await fixture.LoggedInPageAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int requests = 0;
        // Hold the census request until the test lets it go: the page must wait for it however long it takes.
        await page.RouteAsync("**/dashboard/api/census", async route =>
        {
            Interlocked.Increment(ref requests);
            await release.Task;
            await route.ContinueAsync();
        });
        await page.EvaluateAsync("""
            () => {
              window.censusTexts = [];
              const body = document.querySelector('#grains-hottest tbody');
              new MutationObserver(() => window.censusTexts.push(body.textContent)).observe(body, { childList: true, subtree: true, characterData: true });
            }
            """);
        await page.ClickAsync("a[data-page=grains]");
        await page.WaitForFunctionAsync("() => document.getElementById('grains-hottest').dataset.state === 'loading'", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        // Several refreshes run while the request is held: each must keep showing that it is loading.
        int seq = int.Parse(await page.GetAttributeAsync("#status", "data-seq") ?? "0", CultureInfo.InvariantCulture);
        await page.WaitForFunctionAsync("s => Number(document.getElementById('status').dataset.seq) >= s + 4", seq, new PageWaitForFunctionOptions { Timeout = 10_000 });
        Assert.Equal("loading", await page.GetAttributeAsync("#grains-hottest", "data-state"));
        Assert.Contains("loading census", await page.TextContentAsync("#grains-hottest tbody"));
        Assert.Equal(1, Volatile.Read(ref requests)); // one request in flight, shared by every refresh

        release.SetResult();
        await page.WaitForFunctionAsync("() => document.getElementById('grains-hottest').dataset.state === 'ready'", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        Assert.Equal(fixture.WatchedUser, await page.TextContentAsync("#grains-hottest tbody tr:first-child td:first-child"));
        var texts = await page.EvaluateAsync<string[]>("() => window.censusTexts");
        Assert.NotEmpty(texts);
        Assert.DoesNotContain(texts, t => t.Contains("not available", StringComparison.Ordinal) || t.Contains("failed", StringComparison.Ordinal));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ExperimentTablesNameEveryColumnKeepEachBarInsideItsColumnAndSayWhenTheSampleIsTooSmall()
    {
        var page = await fixture.LoggedInPageAsync();
        await page.ClickAsync("a[data-page=experiments]");
        await page.Locator("section.experiment table.statistics tr[data-variant=offers]").WaitForAsync();
        Assert.Collection(await page.Locator("section.experiment table.statistics th.bar").AllTextContentsAsync(),
            rate => Assert.StartsWith("rate interval (bar, 0 – ", rate),
            lift => Assert.StartsWith("lift interval (bar, −", lift));
        Assert.True(await page.Locator("section.experiment svg.interval").CountAsync() >= 3);
        var problems = await page.EvaluateAsync<string[]>("""
            () => {
              const problems = [];
              for (const table of document.querySelectorAll('section.experiment table')) {
                const heads = [...table.tHead.rows[0].cells];
                heads.forEach((th, i) => { if (!th.textContent.trim()) problems.push(table.className + ': column ' + i + ' has no header'); });
                const visible = table.parentElement.getBoundingClientRect();
                for (const row of table.tBodies[0].rows) {
                  if (row.cells.length !== heads.length) problems.push(table.className + ': a row has ' + row.cells.length + ' cells for ' + heads.length + ' headers');
                  [...row.cells].forEach((td, i) => {
                    const svg = td.querySelector('svg.interval');
                    if (!svg) return;
                    const cell = td.getBoundingClientRect(), head = heads[i].getBoundingClientRect();
                    for (const shape of [svg, ...svg.querySelectorAll('rect, circle, line')]) {
                      const b = shape.getBoundingClientRect();
                      const where = row.dataset.variant + ' column ' + i + ' ' + shape.tagName + ' [' + b.left.toFixed(1) + ', ' + b.right.toFixed(1) + ']';
                      if (b.left < cell.left - 0.5 || b.right > cell.right + 0.5) problems.push(where + ' leaves its cell [' + cell.left.toFixed(1) + ', ' + cell.right.toFixed(1) + ']');
                      if (b.left < head.left - 0.5 || b.right > head.right + 0.5) problems.push(where + ' leaves its column header');
                      if (b.left < visible.left - 0.5 || b.right > visible.right + 0.5) problems.push(where + ' is cut off by the table box');
                    }
                  });
                }
              }
              return problems;
            }
            """);
        Assert.Empty(problems);

        // The fixture's holdout has a handful of shoppers: the API flags the lift, the page says so and states the threshold.
        var (_, api) = await Json.GetAsync(fixture.Gateway.Server, "/v1/experiments");
        var offers = api!["experiments"]![0]!["variants"]!.AsArray().Single(v => (string?)v!["name"] == "offers")!;
        Assert.True(offers["lift"]!["sampleTooSmall"]!.GetValue<bool>());
        var row = page.Locator("section.experiment table.statistics tr[data-variant=offers]");
        Assert.Equal("true", await row.GetAttributeAsync("data-sample-too-small"));
        Assert.Contains("sample too small", await row.Locator("td[data-field=liftInterval]").TextContentAsync());
        var note = await page.TextContentAsync("section.experiment p[data-sample-too-small]");
        Assert.Contains($"at least {MicroMoment.Silo.Triggers.ExperimentReporter.MinimumOutcomes} conversions", note);
        if (offers["lift"]!["low"] is { } low)
        {
            double shown = double.Parse(await row.Locator("td[data-field=liftInterval]").GetAttributeAsync("data-value") ?? "NaN", CultureInfo.InvariantCulture);
            Assert.Equal(low.GetValue<double>(), shown, 12);
            Assert.InRange(shown, -1, 1);
            Assert.InRange(double.Parse(await row.Locator("td[data-field=liftInterval]").GetAttributeAsync("data-high") ?? "NaN", CultureInfo.InvariantCulture), -1, 1);
        }
        await ShotAsync(page, "experiments-layout");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task ChartsHaveAClockAxisAndUnitsDrawOneLinePerSeriesBreakOnlyWhereSamplesAreMissingAndShowNoIdentifiers()
    {
        var page = await fixture.LoggedInPageAsync();
        await page.WaitForFunctionAsync("() => window.mmDashboard.history.length > 2 && document.querySelectorAll('#ov-chart-events path').length === 2", null, new PageWaitForFunctionOptions { Timeout = 10_000 });

        // A history with 10 snapshots missing in the middle (the page lost the stream for a while: their sequence numbers
        // are absent) and latency only in every third interval (the others saw no events), built from the newest real
        // snapshot so that the next one joins it; one snapshot comes late (3 intervals after the one before) but none is
        // missing there, so the line goes on.
        await page.EvaluateAsync("""
            () => {
              const state = window.mmDashboard, last = state.history[state.history.length - 1], step = last.intervalMs, kept = [];
              for (let i = 0; i < 40; i++) {
                if (i >= 15 && i < 25) continue;
                const s = JSON.parse(JSON.stringify(last));
                s.t = last.t - (39 - i) * step - (i < 5 ? 2 * step : 0);
                s.seq = last.seq - (39 - i);
                s.eventsPerSec = 10 + i;
                s.latency.p50 = i % 3 === 0 ? 1 + i / 10 : null;
                s.latency.p95 = i % 3 === 0 ? 2 + i / 10 : null;
                s.latency.p99 = i % 3 === 0 ? 3 + i / 10 : null;
                kept.push(s);
              }
              state.history = kept;
              window.lastSyntheticSeq = last.seq;
            }
            """);
        await page.WaitForFunctionAsync("() => window.mmDashboard.history.length > 30 && window.mmDashboard.history[window.mmDashboard.history.length - 1].seq > window.lastSyntheticSeq", null, new PageWaitForFunctionOptions { Timeout = 10_000 });

        var charts = new (string Id, string Unit, string[] Series)[]
        {
            ("ov-chart-events", "(events/s)", ["events/s", "accepted/s"]),
            ("ov-chart-latency", "(ms)", ["p50 latency (ms)", "p95 latency (ms)", "p99 latency (ms)"]),
            ("ov-chart-offers", "(offers/s)", ["offers/s"]),
        };
        foreach (var (id, unit, names) in charts)
        {
            var chart = page.Locator("#" + id);
            Assert.Contains(unit, await chart.Locator("text.axis-title.y").TextContentAsync());
            Assert.Equal("time (local clock)", await chart.Locator("text.axis-title.x").TextContentAsync());
            var ticks = await chart.Locator("text.tick.x").AllTextContentsAsync();
            Assert.True(ticks.Count >= 2, $"{id} should label its time axis; it has {ticks.Count} labels.");
            Assert.All(ticks, t => Assert.Matches(@"^\d\d:\d\d:\d\d$", t));
            Assert.Equal(names, await chart.Locator("path").EvaluateAllAsync<string[]>("ps => ps.map(p => p.dataset.series)"));
            Assert.Equal(names, await chart.Locator("text.legend").AllTextContentsAsync());
        }

        // Lines join the samples: the events line breaks once, where samples are missing; each latency line joins its
        // samples across the intervals without events (no isolated dots), breaking only at the missing samples.
        // The events line breaks where sequence numbers jump: the 10 synthetic snapshots left out, plus any real one the
        // stream skipped (a watcher whose write outlasts the 250 ms interval gets the next snapshot, as on a loaded
        // machine). Path and history are read together, so both describe the same render.
        var drawn = await page.EvaluateAsync<JsonElement>("""
            () => {
              const h = window.mmDashboard.history;
              return { d: document.querySelector("#ov-chart-events path[data-series='events/s']").getAttribute("d") || "",
                       gaps: h.filter((s, i) => i > 0 && s.seq !== h[i - 1].seq + 1).length,
                       synthetic: h.filter((s, i) => i > 0 && s.seq <= window.lastSyntheticSeq && s.seq !== h[i - 1].seq + 1).length };
            }
            """);
        Assert.Equal(1, drawn.GetProperty("synthetic").GetInt32()); // the synthetic history's one hole is still in view
        Assert.Equal(1 + drawn.GetProperty("gaps").GetInt32(), drawn.GetProperty("d").GetString()!.Count(c => c == 'M'));
        foreach (var q in new[] { "p50", "p95", "p99" })
        {
            string d = await page.GetAttributeAsync($"#ov-chart-latency path[data-series='{q} latency (ms)']", "d") ?? "";
            Assert.Equal(2, d.Count(c => c == 'M'));
            Assert.Equal(8, d.Count(c => c == 'L'));
        }
        Assert.Equal(0, await page.Locator("#ov-chart-latency circle").CountAsync());
        // Every label is drawn inside its chart, none cut off at an edge.
        var clipped = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('#page-overview svg.chart')].flatMap(svg => {
              const box = svg.getBoundingClientRect();
              return [...svg.querySelectorAll('text')].map(t => [t, t.getBoundingClientRect()])
                .filter(([, b]) => b.left < box.left - 0.5 || b.right > box.right + 0.5 || b.top < box.top - 0.5 || b.bottom > box.bottom + 0.5)
                .map(([t]) => svg.id + ': ' + t.textContent);
            })
            """);
        Assert.Empty(clipped);
        await ShotAsync(page, "overview-charts");

        // Human names everywhere: no camelCase identifier is visible on any page.
        var identifier = new System.Text.RegularExpressions.Regex(@"\b[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*\b");
        async Task NoIdentifiersAsync(string name)
        {
            string text = await page.InnerTextAsync("body");
            var found = identifier.Matches(text).Select(m => m.Value).Where(w => w != "mSPRT").Distinct().ToArray();
            Assert.True(found.Length == 0, $"The {name} page shows identifiers: {string.Join(", ", found)}.");
        }
        await NoIdentifiersAsync("overview");
        await page.ClickAsync("a[data-page=grains]");
        await page.WaitForFunctionAsync("() => document.getElementById('grains-hottest').dataset.state === 'ready'", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        await NoIdentifiersAsync("grains");
        await page.ClickAsync("a[data-page=silos]");
        await page.Locator("#silos-table tbody tr").First.WaitForAsync();
        Assert.Contains("(% of all cores)", await page.TextContentAsync("#silos-chart-cpu text.axis-title.y"));
        await NoIdentifiersAsync("silos");
        await page.ClickAsync("a[data-page=user]");
        await page.FillAsync("#user-id", fixture.WatchedUser);
        await page.ClickAsync("#user-watch");
        await page.WaitForFunctionAsync("() => document.getElementById('user-events-applied').dataset.value > 0");
        Assert.Equal("event time (UTC)", await page.TextContentAsync("#user-chart text.axis-title.x"));
        Assert.Contains("probability", await page.TextContentAsync("#user-chart text.axis-title.y"));
        await NoIdentifiersAsync("user");
        await page.ClickAsync("a[data-page=model]");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#model-metrics tbody tr').length > 0 && document.getElementById('model-intents').dataset.state === 'ready'", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        Assert.Contains("buy ROC AUC (test split)", await page.Locator("#model-metrics tbody td:first-child").AllTextContentsAsync());
        await NoIdentifiersAsync("model");
        await page.ClickAsync("a[data-page=experiments]");
        await page.Locator("section.experiment table.statistics tr[data-variant=offers]").WaitForAsync();
        await NoIdentifiersAsync("experiments");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task UserPageSaysTheSessionClosedAndTheOfferExpiredOnceTheSiloClockPassesThem()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var silo = await RecordingSilo.StartAsync(new SiloOptions
        {
            IdleTimeout = TimeSpan.FromDays(1),
            Trigger = new TriggerPolicyOptions { BuyThreshold = 1e-6f, ExitThreshold = 1f, ProposalTimeToLive = TimeSpan.FromMinutes(2) },
        }, clock);
        await using var gateway = await TestGateway.StartAsync(silo, o => o.Dashboard.RefreshInterval = TimeSpan.FromMilliseconds(250));
        var (_, answer) = await Json.PostAsync(gateway.Server, "/v1/events", Json.Event("quiet-page", "qp1").ToJsonString());
        Assert.True(answer!["results"]![0]!["decision"]!["fired"]!.GetValue<bool>());

        var page = await fixture.LoggedInPageAsync(gateway);
        await page.ClickAsync("a[data-page=user]");
        await page.FillAsync("#user-id", "quiet-page");
        await page.ClickAsync("#user-watch");
        await WaitForTextAsync(page, "user-session", "open (live)");
        Assert.Contains("proposed", await page.TextContentAsync("#user-offers tbody"));

        clock.Advance(TimeSpan.FromHours(21));
        await silo.Inner.RunMaintenanceAsync();
        await page.WaitForFunctionAsync("() => document.getElementById('user-session').dataset.open === 'false'", null, new PageWaitForFunctionOptions { Timeout = 10_000 });
        Assert.StartsWith("closed (idle since ", await page.TextContentAsync("#user-session"));
        Assert.Equal("no active offers (session closed)", await page.TextContentAsync("#user-offers tbody td:first-child"));
        Assert.Contains("expired", await page.TextContentAsync("#user-decisions tbody"));
        await page.Context.CloseAsync();
    }

    private static async Task WaitForTextAsync(IPage page, string id, string expected)
    {
        try
        {
            await page.WaitForFunctionAsync("([id, expected]) => document.getElementById(id).textContent === expected", new object[] { id, expected }, new PageWaitForFunctionOptions { Timeout = 10_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"#{id} should show '{expected}'; it shows '{await page.TextContentAsync("#" + id)}'.");
        }
    }

    [Fact]
    public async Task WithoutAServerKeyTheBrowserSeesALoginAndNoData()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/dashboard");
        await page.Locator("#login").WaitForAsync();
        Assert.True(await page.Locator("#pages").IsHiddenAsync());
        Assert.Equal(401, await page.EvaluateAsync<int>("async () => (await fetch('/dashboard/api/snapshot')).status"));
        Assert.Equal(401, await page.EvaluateAsync<int>("async () => (await fetch('/dashboard/api/users/u1')).status"));
        Assert.Equal("–", await page.TextContentAsync("#ov-events"));
        await ShotAsync(page, "login");

        await page.FillAsync("#login-key", TestGateway.PublishableKey);
        await page.ClickAsync("#login-form button");
        await page.WaitForFunctionAsync("() => document.getElementById('login-error').textContent.length > 0");
        Assert.True(await page.Locator("#pages").IsHiddenAsync());

        await page.FillAsync("#login-key", TestGateway.ServerKey);
        await page.ClickAsync("#login-form button");
        await page.Locator("#pages").WaitForAsync();
        Assert.Equal(200, await page.EvaluateAsync<int>("async () => (await fetch('/dashboard/api/snapshot')).status"));

        await page.ClickAsync("#logout");
        await page.Locator("#login").WaitForAsync();
        Assert.Equal(401, await page.EvaluateAsync<int>("async () => (await fetch('/dashboard/api/snapshot')).status"));
        await page.Context.CloseAsync();
    }

    private static async Task WaitForValueAsync(IPage page, string id, double expected)
    {
        try
        {
            await page.WaitForFunctionAsync(
                "([id, expected]) => Number(document.getElementById(id).dataset.value) === expected",
                new object[] { id, expected }, new PageWaitForFunctionOptions { Timeout = 10_000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"#{id} should show {expected}; it shows {await page.GetAttributeAsync("#" + id, "data-value")}.");
        }
    }

    private static async Task<double> Number(IPage page, string id) =>
        double.Parse(await page.GetAttributeAsync("#" + id, "data-value") ?? "NaN", CultureInfo.InvariantCulture);

    private static async Task<double> CellValue(IPage page, string selector) =>
        double.Parse(await page.GetAttributeAsync(selector, "data-value") ?? "NaN", CultureInfo.InvariantCulture);

    private static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotDirectory, name + ".png"), FullPage = true });
}
