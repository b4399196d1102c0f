using System.Globalization;
using System.Text.Json.Nodes;
using MicroMoment.Data;
using MicroMoment.Events;
using MicroMoment.Gateway.Dashboard;
using MicroMoment.Silo;
using Microsoft.Playwright;

namespace MicroMoment.Gateway.Tests.Dashboard;

/// <summary>
/// A gateway and an embedded silo on 127.0.0.1 (port 0) fed with the first REES46 sample events through POST /v1/events,
/// and a headless Chromium (Debian's, never downloaded) driven by Playwright.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    /// <summary>Sample events posted at start.</summary>
    public const int SampleEvents = 3_000;

    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private TestGateway? _gateway;

    internal TestGateway Gateway => _gateway ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>The headless browser.</summary>
    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>The shopper with the most sample events.</summary>
    public string WatchedUser { get; private set; } = "";

    /// <summary>The time of the watched shopper's last sample event.</summary>
    public DateTime WatchedUserLastEvent { get; private set; }

    /// <summary>Events the silo accepted from the sample.</summary>
    public int Accepted { get; private set; }

    /// <summary>The shipped default policy the fixture's silo runs.</summary>
    public static string PolicyPath => Path.Combine(BundledModel.RepositoryRoot, "policies", "default.yaml");

    /// <summary>Where screenshots go: artifacts/screenshots under the repository (ignored by git).</summary>
    public static string ScreenshotDirectory => Directory.CreateDirectory(Path.Combine(BundledModel.RepositoryRoot, "artifacts", "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        // The shipped policy, with its example experiment (a 10% holdout), so the experiments page has numbers to show.
        // As `micromoment serve` runs it: Orleans' dashboard on the silo (call profiling off) and, through an Orleans client
        // of the silo's client gateway, mounted at /orleans behind the dashboard login; the Grains and Silos pages read
        // Orleans' statistics through the silo's grain factory.
        OrleansGatewayPort = LoopbackPort.Free();
        var silo = new RecordingSilo(await EmbeddedSilo.StartAsync(BundledModel.Model, new SiloOptions { PolicyPath = PolicyPath },
            gatewayPort: OrleansGatewayPort, configure: orleans => orleans.AddOrleansDashboard(profiling: false)));
        _gateway = await TestGateway.StartAsync(silo, configure: o =>
        {
            o.MaxEventAge = null;
            o.Dashboard.RefreshInterval = TimeSpan.FromMilliseconds(250);
        }, configureBuilder: builder =>
        {
            builder.Services.AddOrleansClusterStatistics(silo.Inner);
            builder.UseOrleansDashboardClient(OrleansGatewayPort);
        }, configureApp: app => app.MapOrleansDashboardBehindLogin());
        await PostSampleAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ChromiumArgs });
    }

    /// <summary>The loopback port of the silo's Orleans client gateway (Orleans' dashboard reads the cluster through it).</summary>
    public int OrleansGatewayPort { get; private set; }

    /// <summary>A fresh browser page (own cookies) on the fixture's gateway, or on <paramref name="gateway"/>, not logged in.</summary>
    internal async Task<IPage> NewPageAsync(TestGateway? gateway = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = (gateway ?? Gateway).Host.BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        return await context.NewPageAsync();
    }

    /// <summary>A fresh page logged in with the server key, showing the overview (of the fixture's gateway, or of <paramref name="gateway"/>).</summary>
    internal async Task<IPage> LoggedInPageAsync(TestGateway? gateway = null)
    {
        var page = await NewPageAsync(gateway);
        await page.GotoAsync("/dashboard");
        await page.FillAsync("#login-key", TestGateway.ServerKey);
        await page.ClickAsync("#login-form button");
        await page.WaitForSelectorAsync("#pages", new PageWaitForSelectorOptions { State = WaitForSelectorState.Visible });
        return page;
    }

    /// <summary>Posts one event for the watched shopper, <paramref name="secondsAfterLast"/> after their last one (same session).</summary>
    public async Task<JsonNode?> PostWatchedUserEventAsync(string eventId, int secondsAfterLast, string type = "view")
    {
        WatchedUserLastEvent = WatchedUserLastEvent.AddSeconds(secondsAfterLast);
        var e = new JsonObject
        {
            ["eventId"] = eventId,
            ["userId"] = WatchedUser,
            ["type"] = type,
            ["timestamp"] = WatchedUserLastEvent.ToString("O", CultureInfo.InvariantCulture),
            ["productId"] = 1004856,
            ["categoryId"] = 2053013555631882655,
            ["price"] = 130.76,
        };
        var (response, body) = await Json.PostAsync(Gateway.Server, "/v1/events", e.ToJsonString());
        response.EnsureSuccessStatusCode();
        return body;
    }

    private async Task PostSampleAsync()
    {
        var events = Rees46CsvReader.Read(BundledModel.Rees46HeadPath, new IngestReport()).Take(SampleEvents).ToList();
        var byUser = events.GroupBy(e => e.UserId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).First();
        WatchedUser = byUser.Key;
        WatchedUserLastEvent = byUser.Max(e => e.Timestamp);
        for (int start = 0; start < events.Count; start += 500)
        {
            var batch = new JsonArray();
            for (int i = start; i < Math.Min(events.Count, start + 500); i++) batch.Add(ToJson(events[i], "rees46-" + i.ToString(CultureInfo.InvariantCulture)));
            var (response, body) = await Json.PostAsync(Gateway.Server, "/v1/events", batch.ToJsonString());
            response.EnsureSuccessStatusCode();
            Accepted += body!["accepted"]!.GetValue<int>();
        }
    }

    private static JsonObject ToJson(ClickEvent e, string eventId)
    {
        var json = new JsonObject
        {
            ["eventId"] = eventId,
            ["userId"] = e.UserId,
            ["type"] = EventTypes.Name(e.Type),
            ["timestamp"] = e.Timestamp.ToString("O", CultureInfo.InvariantCulture),
            ["productId"] = e.ProductId,
            ["categoryId"] = e.CategoryId,
        };
        if (e.CategoryCode is not null) json["categoryCode"] = e.CategoryCode;
        if (e.Brand is not null) json["brand"] = e.Brand;
        if (e.HasPrice) json["price"] = e.Price;
        return json;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_gateway is not null) await _gateway.DisposeAsync();
    }
}
