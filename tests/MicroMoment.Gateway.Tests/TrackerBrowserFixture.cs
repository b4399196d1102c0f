using Microsoft.Playwright;

namespace MicroMoment.Gateway.Tests;

/// <summary>A gateway (with the buy-path policy) and a headless Chromium (Debian's, never downloaded) for tracker and demo tests.</summary>
public sealed class TrackerBrowserFixture : IAsyncLifetime
{
    private static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private TestGateway? _gateway;

    internal TestGateway Gateway => _gateway ?? throw new InvalidOperationException("The fixture has not started.");

    internal RecordingSilo Silo => (RecordingSilo)Gateway.Silo;

    public async Task InitializeAsync()
    {
        _gateway = await TestGateway.StartAsync(await RecordingSilo.StartAsync(RecordingSilo.BuyPathOptions));
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ChromiumArgs });
    }

    /// <summary>A fresh browser context (its own cookies) and page on the gateway's origin.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { BaseURL = Gateway.Host.BaseAddress.ToString() });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        if (_gateway is not null) await _gateway.DisposeAsync();
    }
}
