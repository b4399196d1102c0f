using System.Globalization;
using MicroMoment.Gateway.Dashboard;
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
        await WaitForValueAsync(page, "ov-events", metrics.Sum("micromoment_silo_events_total"));
        await WaitForValueAsync(page, "ov-offers", metrics.Sum("micromoment_silo_offers_fired_total"));
        await WaitForValueAsync(page, "ov-live-activations", metrics.Sum("micromoment_silo_activations"));
        await WaitForValueAsync(page, "ov-silos", 1);
        Assert.True(await Number(page, "ov-events") >= fixture.Accepted);
        var p99 = Quantiles.FromCumulative(metrics.Buckets("micromoment_silo_processing_seconds"), 0.99) * 1000;
        Assert.Equal(p99, await Number(page, "ov-p99"), 0.001); // the snapshot rounds milliseconds to 4 decimals
        Assert.Equal(8, await page.Locator("#ov-chart-queues rect").CountAsync());
        Assert.Equal(3, await page.Locator("#ov-chart-latency path").CountAsync());
        await ShotAsync(page, "overview");

        await page.ClickAsync("a[data-page=grains]");
        await page.Locator("#grains-table tbody tr").Nth(2).WaitForAsync();
        Assert.Equal(["user", "trigger", "cluster-centroid"], await page.Locator("#grains-table tbody tr td:first-child").AllTextContentsAsync());
        Assert.Equal(metrics.Sum("micromoment_silo_activations"), await CellValue(page, "#grains-table tbody tr:first-child td:nth-child(3)"));
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#grains-hottest tbody tr').length > 0 && document.querySelector('#grains-hottest tbody td').textContent !== ''");
        Assert.Equal(fixture.WatchedUser, await page.TextContentAsync("#grains-hottest tbody tr:first-child td:first-child"));
        await ShotAsync(page, "grains");

        await page.ClickAsync("a[data-page=silos]");
        await page.Locator("#silos-table tbody tr").First.WaitForAsync();
        Assert.Equal(8, await CellValue(page, "#silos-table tbody tr:first-child td:nth-child(9)"));
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
        await page.Locator("section.experiment tr[data-variant=offers]").WaitForAsync();
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
                foreach (var field in new[] { "exposures", "proposals", "shows", "clicks", "dismissals", "conversions" })
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
        await ShotAsync(page, "user");
        await page.Context.CloseAsync();
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
