using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MicroMoment.Gateway.Tests;

/// <summary>
/// A gateway (with the buy-path policy) and a headless Chromium (Debian's, never downloaded) for tracker and demo tests.
/// The gateway also serves the pages of <see cref="Pages"/> under /test-pages/, so a test page runs on the gateway's own
/// origin as a shop's page would (Chromium refuses loopback connections from pages it did not load from the network).
/// </summary>
public sealed class TrackerBrowserFixture : IAsyncLifetime
{
    /// <summary>HTML served at /test-pages/{name}.</summary>
    public Dictionary<string, string> Pages { get; } = new(StringComparer.Ordinal);

    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private TestGateway? _gateway;

    internal TestGateway Gateway => _gateway ?? throw new InvalidOperationException("The fixture has not started.");

    internal RecordingSilo Silo => (RecordingSilo)Gateway.Silo;

    public async Task InitializeAsync()
    {
        _gateway = await TestGateway.StartAsync(await RecordingSilo.StartAsync(RecordingSilo.BuyPathOptions),
            configureBuilder: b => b.Services.AddSingleton<IStartupFilter>(new TestPages(Pages)));
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ChromiumArgs });
    }

    /// <summary>A fresh browser context (its own cookies) and page on the gateway's origin.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = Gateway.Host.BaseAddress.ToString() });
        return await context.NewPageAsync();
    }

    private sealed class TestPages(Dictionary<string, string> pages) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (context, rest) =>
            {
                if (context.Request.Path.StartsWithSegments("/test-pages", out var name) && pages.TryGetValue(name.Value!.TrimStart('/'), out var html))
                {
                    context.Response.ContentType = "text/html; charset=utf-8";
                    await context.Response.WriteAsync(html);
                    return;
                }
                await rest(context);
            });
            next(app);
        };
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_gateway is not null) await _gateway.DisposeAsync();
    }
}
