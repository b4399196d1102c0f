using System.Net;
using System.Net.Http.Headers;
using MicroMoment.Gateway.Dashboard;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MicroMoment.Gateway.Tests.Dashboard;

/// <summary>
/// Orleans' own dashboard at /orleans, mounted as <c>micromoment serve</c> mounts it (an Orleans client of the silo's
/// client gateway, over real Kestrel and a real Orleans silo): never served without the server key or a dashboard login.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class OrleansDashboardTests(DashboardFixture fixture)
{
    /// <summary>
    /// Every route the Orleans dashboard package mapped under /orleans (its page, script, style sheet, fonts, images, JSON
    /// API and log stream), with each route parameter filled in.
    /// </summary>
    private List<string> OrleansPaths()
    {
        var endpoints = fixture.Gateway.Host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>();
        var paths = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var pattern = endpoint.RoutePattern;
            if (pattern.RawText is not { } raw || !raw.StartsWith(DashboardEndpoints.OrleansDashboardPath, StringComparison.Ordinal)) continue;
            var segments = pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => parameter.ParameterPolicies.Any(p => p.Content == "int") ? "1" : "x.woff2",
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
                _ => throw new InvalidOperationException($"Unexpected route part in {raw}."),
            })));
            paths.Add("/" + string.Join('/', segments) + (raw.EndsWith('/') ? "/" : ""));
        }

        return paths;
    }

    [Fact]
    public async Task EveryOrleansDashboardRouteRefusesRequestsWithoutTheServerKeyOrALogin()
    {
        var paths = OrleansPaths();
        // The package's page, assets and API: the enumeration found them (else this test would check nothing).
        foreach (var expected in new[] { "/orleans/", "/orleans/index.html", "/orleans/index.min.js", "/orleans/index.css", "/orleans/DashboardCounters", "/orleans/ClusterStats", "/orleans/Trace", "/orleans/version" })
            Assert.True(paths.Contains(expected), $"{expected} is not among the routes found: {string.Join(", ", paths)}");
        Assert.True(paths.Count >= 15, $"found {paths.Count} routes: {string.Join(", ", paths)}");
        paths.Add("/orleans"); // the mount point itself (the package redirects it to /orleans/ once let in)

        using var publishable = fixture.Gateway.Client(TestGateway.PublishableKey);
        foreach (var path in paths)
        {
            // A script's call: the same problem as /dashboard/api, and none of Orleans' bytes.
            using (var response = await fixture.Gateway.Anonymous.GetAsync(path))
            {
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"GET {path} without a key answered {(int)response.StatusCode}.");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Contains("Dashboard login required", await response.Content.ReadAsStringAsync());
            }

            // A browser: sent to log in, and back to /orleans after.
            using (var request = new HttpRequestMessage(HttpMethod.Get, path))
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
                using var response = await NoRedirects().SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"GET {path} (a browser) without a key answered {(int)response.StatusCode}.");
                Assert.Equal("/dashboard?next=orleans", response.Headers.Location?.OriginalString);
                Assert.Empty(await response.Content.ReadAsByteArrayAsync());
            }

            // A publishable key (a shop's page) never reads it.
            using (var response = await publishable.GetAsync(path))
                Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"GET {path} with a publishable key answered {(int)response.StatusCode}.");

            // Nor does a forged or ended session.
            using (var request = new HttpRequestMessage(HttpMethod.Get, path))
            {
                request.Headers.Add("Cookie", $"{DashboardAccess.CookieName}=forged-session-id-0000000000000000000000000");
                using var response = await fixture.Gateway.Anonymous.SendAsync(request);
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"GET {path} with a forged session answered {(int)response.StatusCode}.");
            }
        }
    }

    [Fact]
    public async Task TheServerKeyOrADashboardLoginOpensOrleansDashboardAndLogoutClosesIt()
    {
        // The server key: its page, its script and its live counters (Orleans' own view of the one silo).
        using (var page = await fixture.Gateway.Server.GetAsync("/orleans/"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
            Assert.True(page.Headers.CacheControl?.NoStore, "Orleans' page is never cached behind the login");
        }

        Assert.Equal(HttpStatusCode.OK, (await fixture.Gateway.Server.GetAsync("/orleans/index.min.js")).StatusCode);
        var counters = await Json.GetAsync(fixture.Gateway.Server, "/orleans/DashboardCounters");
        Assert.Equal(HttpStatusCode.OK, counters.Response.StatusCode);
        Assert.Equal(1, counters.Body!["totalActiveHostCount"]!.GetValue<int>());

        // A dashboard login: its cookie is sent to /orleans too (and to nothing but the two dashboards).
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = fixture.Gateway.Host.BaseAddress };
        var login = await browser.PostAsync("/dashboard/login", new FormUrlEncodedContent([KeyValuePair.Create("key", TestGateway.ServerKey)]));
        Assert.Equal(HttpStatusCode.NoContent, login.StatusCode);
        var paths = login.Headers.GetValues("Set-Cookie").Select(c => c.Split(';').Select(p => p.Trim()).Single(p => p.StartsWith("path=", StringComparison.OrdinalIgnoreCase))[5..]).Order(StringComparer.Ordinal);
        Assert.Equal(["/dashboard", "/orleans"], paths);
        Assert.Empty(cookies.GetCookies(new Uri(fixture.Gateway.Host.BaseAddress, "/v1/events")));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/orleans/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/orleans/ClusterStats")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync("/dashboard/logout", null)).StatusCode);
        Assert.Empty(cookies.GetCookies(new Uri(fixture.Gateway.Host.BaseAddress, "/orleans/")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/orleans/ClusterStats")).StatusCode);
    }

    [Fact]
    public async Task ABrowserSentToLogInFromOrleansDashboardIsTakenBackThereAndTheDashboardLinksToIt()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/orleans/");
        Assert.EndsWith("/dashboard?next=orleans", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#login-key", TestGateway.ServerKey);
        await page.ClickAsync("#login-form button");
        // The address is what this test is about; Orleans' page then proves it runs by calling its API (its own "load"
        // event can take long on a loaded machine while its scripts start).
        await page.WaitForURLAsync(OrleansPage, new PageWaitForURLOptions { Timeout = 60_000, WaitUntil = WaitUntilState.Commit });
        // Orleans' own page runs and reads its API through the same login.
        var api = await page.WaitForResponseAsync(r => r.Url.Contains("/orleans/DashboardCounters", StringComparison.Ordinal), new PageWaitForResponseOptions { Timeout = 60_000 });
        Assert.Equal(200, api.Status);

        // The project's dashboard links to it from its navigation once logged in, and the link leads there.
        await page.GotoAsync("/dashboard");
        var link = page.Locator("#orleans-link");
        await link.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        Assert.Equal("/orleans/", await link.GetAttributeAsync("href"));
        await link.ClickAsync();
        await page.WaitForURLAsync(OrleansPage, new PageWaitForURLOptions { Timeout = 60_000, WaitUntil = WaitUntilState.Commit });

        // A login without next=orleans stays on the dashboard (no other target is followed).
        var plain = await fixture.LoggedInPageAsync();
        Assert.EndsWith("/dashboard", plain.Url, StringComparison.Ordinal);
        var elsewhere = await fixture.NewPageAsync();
        await elsewhere.GotoAsync("/dashboard?next=https://example.org/");
        await elsewhere.FillAsync("#login-key", TestGateway.ServerKey);
        await elsewhere.ClickAsync("#login-form button");
        await elsewhere.WaitForSelectorAsync("#pages", new PageWaitForSelectorOptions { State = WaitForSelectorState.Visible });
        Assert.EndsWith("/dashboard?next=https://example.org/", elsewhere.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
        await plain.Context.CloseAsync();
        await elsewhere.Context.CloseAsync();
    }

    /// <summary>Orleans' dashboard page (its script may add a fragment).</summary>
    private static readonly System.Text.RegularExpressions.Regex OrleansPage = new(@"^http://127\.0\.0\.1:\d+/orleans/(#.*)?$");

    private HttpClient NoRedirects() =>
        new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = fixture.Gateway.Host.BaseAddress };
}
